package dev.livepet.system;

import com.microsoft.playwright.Page;

import java.util.regex.Pattern;

/** A player as they begin in a browser: registered through the viewer's pages, which logs them in. */
final class BrowserPlayer {
    private static final Pattern PET_PAGE = Pattern.compile(".*/pets/\\d+$");

    private BrowserPlayer() {
    }

    /** Registers {@code email} on {@code viewer}; ends logged in on that viewer's My Pets. */
    static void register(Page page, String viewer, String email, String password) {
        page.navigate(viewer + "/register");
        page.fill("#email", email);
        page.fill("#password", password);
        page.getByTestId("register-button").click();
        page.waitForURL(Pattern.compile(Pattern.quote(viewer) + "/pets$"));
    }

    /** Adopts a pet through New Pet; ends on its live page once the pet is there, and returns its id. */
    static long adopt(Page page, String viewer, String name, String species) {
        page.navigate(viewer + "/pets/new");
        page.fill("input[name=name]", name);
        page.check("input[name=species][value=" + species + "]", new Page.CheckOptions().setForce(true));
        long sent = System.nanoTime();
        page.locator("form[action='/pets'] [type=submit]").click();
        // the pet's page, or My Pets if the viewer sent the player away: then say why at once, no 30 s timeout
        page.waitForURL(Pattern.compile(".*/pets(/\\d+)?$"));
        if (!PET_PAGE.matcher(page.url()).matches()) {
            String text = page.locator("main").innerText().replaceAll("\\s+", " ").strip();
            throw new AssertionError("adopting " + name + " on " + viewer + " ended on " + page.url()
                    + ", not on its page; it shows: " + text.substring(0, Math.min(300, text.length())));
        }
        long shown = System.nanoTime();
        boolean hatching = page.getByTestId("pet-hatching").isVisible();
        page.getByTestId("pet-age").waitFor();
        // how long a player waits, so that slow machines show up in the test output before they time out
        System.out.printf("ADOPT ▸ %s on %s: its page after %d ms%s, live after %d ms%n", name, viewer,
                (shown - sent) / 1_000_000, hatching ? " (hatching)" : "", (System.nanoTime() - sent) / 1_000_000);
        return Long.parseLong(page.url().replaceAll(".*/pets/", ""));
    }
}
