package dev.livepet.viewer.world;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Path;
import java.util.List;

/** Debian's Chromium through Playwright (no browser download), headless. */
public final class Chromium {
    private Chromium() {
    }

    public static Browser launch(Playwright playwright) {
        String path = System.getenv().getOrDefault("LIVEPET_CHROMIUM", "/usr/bin/chromium");
        return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Path.of(path))
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-background-networking", "--disable-gpu",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    /** Where screenshots go, for people to look at. */
    public static Path screenshot(String name) {
        return Path.of("target", "screenshots", name + ".png");
    }
}
