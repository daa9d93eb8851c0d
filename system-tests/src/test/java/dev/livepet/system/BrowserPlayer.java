package dev.livepet.system;

import com.microsoft.playwright.Page;

import java.util.regex.Pattern;

/** A player as they begin in a browser: registered through the viewer's pages and logged in. */
final class BrowserPlayer {
    private BrowserPlayer() {
    }

    /** Registers {@code email} on {@code viewer} and logs in with it; ends on that viewer's My Pets. */
    static void registerAndLogIn(Page page, String viewer, String email, String password) {
        page.navigate(viewer + "/register");
        page.fill("#email", email);
        page.fill("#password", password);
        page.getByTestId("register-button").click();
        page.waitForURL(Pattern.compile(".*/login$"));
        page.fill("#email", email);
        page.fill("#password", password);
        page.getByTestId("login-button").click();
        page.waitForURL(Pattern.compile(Pattern.quote(viewer) + "/pets$"));
    }

    /** Adopts a pet through New Pet; ends on its live page once the pet is there, and returns its id. */
    static long adopt(Page page, String viewer, String name, String species) {
        page.navigate(viewer + "/pets/new");
        page.fill("input[name=name]", name);
        page.check("input[name=species][value=" + species + "]", new Page.CheckOptions().setForce(true));
        page.locator("form[action='/pets'] [type=submit]").click();
        page.waitForURL(Pattern.compile(".*/pets/\\d+$"));
        page.getByTestId("pet-age").waitFor();
        return Long.parseLong(page.url().replaceAll(".*/pets/", ""));
    }
}
