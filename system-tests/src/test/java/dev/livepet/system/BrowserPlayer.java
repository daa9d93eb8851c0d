package dev.livepet.system;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/** A player as they begin in a browser: signed up through the viewer's pages and logged in by the mailed link. */
final class BrowserPlayer {
    private static final Pattern PET_PAGE = Pattern.compile(".*/pets/\\d+$");

    private BrowserPlayer() {
    }

    /**
     * Registers {@code email} on {@code viewer} and opens the link it mails (the viewer's own mailbox in a local
     * world); ends logged in on that viewer's My Pets.
     */
    static void register(Page page, String viewer, String email, String password) {
        page.navigate(viewer + "/register");
        page.fill("#email", email);
        page.fill("#password", password);
        page.getByTestId("register-button").click();
        page.waitForURL(Pattern.compile(Pattern.quote(viewer) + "/login$"));
        Locator link = page.locator("[data-testid=mail][data-to='" + email + "'] [data-testid=mail-link]").first();
        // the mail goes out after the answer: the mailbox is read again until it shows it
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            page.navigate(viewer + "/mailbox");
            return link.count() > 0;
        });
        URI mailed = URI.create(link.getAttribute("href"));
        page.navigate(viewer + mailed.getRawPath() + "?" + mailed.getRawQuery());
        page.fill("#confirm-password", password);
        page.getByTestId("confirm-button").click();
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
