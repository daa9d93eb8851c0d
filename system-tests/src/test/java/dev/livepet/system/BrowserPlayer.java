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
}
