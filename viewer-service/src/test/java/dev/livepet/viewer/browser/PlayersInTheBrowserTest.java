package dev.livepet.viewer.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.LoginWindow;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every flow of a player's pages in a real Chromium against this viewer (real broker and PostgreSQL; the test
 * publishes pet states as the simulator would). Screenshots land in target/screenshots/.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class PlayersInTheBrowserTest {
    private static final String PUBLIC_URL = "https://livepet.test";
    private static Chromium chromium;
    // what Chromium refused to run or load because of the pages' Content-Security-Policy, in every tab of a test
    private final List<String> policyViolations = new CopyOnWriteArrayList<>();

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void startChromium() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        chromium = new Chromium();
    }

    @AfterAll
    static void stopChromium() {
        chromium.close();
    }

    @AfterEach
    void nothingTheBrowserRanBrokeTheContentSecurityPolicy() {
        assertThat(policyViolations).isEmpty();
    }

    @Test
    void registerConfirmTheAddressAdoptAPetWatchItAndFeedIt() {
        try (BrowserContext context = chromium.browser.newContext()) {
            Page page = page(context);
            String email = freshEmail();
            String password = "twelve chars or more";

            page.navigate(url("/"));
            assertThat(page.url()).endsWith("/login");
            Chromium.screenshot(page, "01-login");
            page.getByTestId("nav-register").click();
            page.fill("#email", email);
            page.fill("#password", password);
            Chromium.screenshot(page, "02-register");
            page.getByTestId("register-button").click();
            // the answer is the same whoever has the address: a link is on its way
            page.waitForURL(Pattern.compile(".*/login$"));
            assertThat(page.getByTestId("flash").textContent()).contains("We sent a link to " + email);
            Chromium.screenshot(page, "02b-link-sent");

            // the mail, as the local world's mailbox shows it
            String confirmation = mailLink(page, email, "Confirm your email address");
            Chromium.screenshot(page, "03-mailbox");

            // the link only asks; the button confirms and logs the new player in: straight to My Pets
            page.navigate(confirmation);
            assertThat(page.getByTestId("confirm-address").textContent()).isEqualTo(email);
            // the first link logs in, so it asks for the password chosen at sign-up
            page.fill("#confirm-password", password);
            Chromium.screenshot(page, "03b-confirm-email");
            page.getByTestId("confirm-button").click();
            page.waitForURL(Pattern.compile(".*/pets$"));
            assertThat(page.getByTestId("flash").textContent()).contains("Welcome to LivePet",
                    "Your email address is confirmed.");
            assertThat(page.getByTestId("my-pets-empty").isVisible()).isTrue();
            Chromium.screenshot(page, "03c-registered");
            Cookie session = cookie(context, TestPlayer.SESSION);
            assertThat(session.expires).as("without 'keep me logged in' the cookie ends with the browser").isEqualTo(-1);
            assertThat(session.httpOnly).isTrue();
            assertThat(session.sameSite.toString()).isEqualToIgnoringCase("lax");
            page.navigate(url("/settings"));
            assertThat(page.getByTestId("email-confirmed").isVisible()).isTrue();

            // New Pet: the name is checked as it is typed, the species is chosen by its picture
            page.getByTestId("nav-new-pet").click();
            assertThat(page.getByTestId("respect-notice").textContent()).contains("be respectful with pet names");
            page.locator("#name").pressSequentially("ab");
            await().atMost(Duration.ofSeconds(10)).until(() -> page.getByTestId("name-note").textContent()
                    .contains("must be 3 to 100 characters long"));
            Chromium.screenshot(page, "04-new-pet-name-too-short");
            page.locator("#name").pressSequentially("cdef");
            await().atMost(Duration.ofSeconds(10)).until(() -> page.getByTestId("name-note").textContent().isBlank());
            page.getByTestId("species-fox").click();
            assertThat(page.locator("input[name=species][value=fox]").isChecked()).isTrue();
            Chromium.screenshot(page, "05-new-pet");
            page.getByTestId("create-pet").click();
            page.waitForURL(Pattern.compile(".*/pets/\\d+$"));
            long petId = Long.parseLong(page.url().replaceAll(".*/pets/", ""));
            assertThat(page.getByTestId("flash").textContent()).contains("abcdef is born!");
            String owner = TestPlayer.accountId(email);

            // the simulator's first state arrives live, then a feed goes out and the fed state comes back
            long tick = PetTopics.clockOf(petId);
            PetTopics.publish(new PetState(petId, owner, "abcdef", Species.FOX, 0, 250, true, 1, Cause.ADOPTED,
                    tick, System.currentTimeMillis(), null));
            Locator age = page.getByTestId("pet-age");
            age.waitFor();
            assertThat(page.getByTestId("pet-hearts").getAttribute("data-hearts")).isEqualTo("3");
            page.getByTestId("feed-button").click();
            await().atMost(Duration.ofSeconds(10)).until(() -> page.getByTestId("feed-note").textContent()
                    .contains("A meal is on its way to abcdef."));
            assertThat(PetTopics.commands()).anyMatch(s -> s.command() instanceof FeedCommand feed
                    && feed.petId() == petId && feed.giver().equals(owner));
            String meal = PetTopics.commands().stream().filter(s -> s.command() instanceof FeedCommand feed
                    && feed.petId() == petId).map(s -> s.command().commandId()).findFirst().orElseThrow();
            PetTopics.publish(new PetState(petId, owner, "abcdef", Species.FOX, 0, 150, true, 2, Cause.FED,
                    tick, System.currentTimeMillis(), meal));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    "4".equals(page.getByTestId("pet-hearts").getAttribute("data-hearts")));
            Chromium.screenshot(page, "06-pet-fed");

            // My Pets: the whole card leads to the pet
            PetsTable.insert(PetsTable.freshId(), owner, "Old Tom", Species.CAT, 10001, 500, false, 10002);
            page.getByTestId("nav-my-pets").click();
            assertThat(page.getByTestId("flash").count()).as("a flash shows once").isZero();
            Locator card = page.getByTestId("pet-card-link").filter(new Locator.FilterOptions().setHasText("Old Tom"));
            assertThat(card.getByTestId("card-status").textContent()).isEqualTo("dead");
            assertThat(card.getByTestId("card-birthday").textContent()).matches("\\d{1,2} \\w{3} \\d{4}");
            Chromium.screenshot(page, "07-my-pets");
            card.locator(".pet-picture").click();
            page.waitForURL(Pattern.compile(".*/pets/\\d+$"));
            assertThat(page.getByTestId("pet-memorial").textContent()).contains("Old Tom has died of old age");
        }
    }

    @Test
    void keepMeLoggedInMakesTheSessionLastAndLoggingOutEndsIt() {
        TestPlayer player = TestPlayer.register();
        try (BrowserContext context = chromium.browser.newContext()) {
            Page page = page(context);
            logIn(page, player.email(), player.password(), true);
            page.waitForURL(Pattern.compile(".*/pets$"));
            Cookie session = cookie(context, TestPlayer.SESSION);
            double inDays = (session.expires - System.currentTimeMillis() / 1000.0) / 86400;
            assertThat(inDays).as("days the session cookie lasts").isBetween(29.0, 30.01);
            assertThat(cookie(context, "livepet-remember").httpOnly).isTrue();

            page.getByTestId("nav-logout").click();
            page.waitForURL(Pattern.compile(".*/login$"));
            assertThat(page.getByTestId("flash").textContent()).contains("You are logged out.");
            assertThat(context.cookies()).noneMatch(c -> c.name.equals(TestPlayer.SESSION) && !c.value.isEmpty())
                    .noneMatch(c -> c.name.equals("livepet-remember"));
            page.navigate(url("/pets"));
            assertThat(page.url()).endsWith("/login");
        }
    }

    @Test
    void changeTheEmailAndThePasswordThenResetAForgottenOne() {
        TestPlayer player = TestPlayer.register();
        String newEmail = freshEmail();
        try (BrowserContext context = chromium.browser.newContext()) {
            Page page = page(context);
            logIn(page, player.email(), player.password(), false);
            page.waitForURL(Pattern.compile(".*/pets$"));
            page.getByTestId("nav-settings").click();
            assertThat(page.getByTestId("email-unconfirmed").isVisible()).isTrue();

            page.fill("#new-email", newEmail);
            page.fill("#email-password", "not my password");
            page.getByTestId("change-email").click();
            assertThat(page.getByTestId("settings-problem").textContent()).contains("Your current password is not right.");
            page.fill("#new-email", newEmail);
            page.fill("#email-password", player.password());
            page.getByTestId("change-email").click();
            page.waitForURL(Pattern.compile(".*/settings$"));
            assertThat(page.getByTestId("flash").textContent()).contains(newEmail);
            assertThat(page.getByTestId("settings-email").textContent()).isEqualTo(player.email());
            page.navigate(mailLink(page, newEmail, "Confirm your email address"));
            assertThat(page.getByTestId("confirm-address").textContent()).isEqualTo(newEmail);
            page.getByTestId("confirm-button").click();
            page.waitForURL(Pattern.compile(".*/settings$"));
            assertThat(page.getByTestId("settings-email").textContent()).isEqualTo(newEmail);
            assertThat(page.getByTestId("email-confirmed").isVisible()).isTrue();
            Chromium.screenshot(page, "08-settings-email-changed");

            String newPassword = "an even longer new password";
            page.fill("#current-password", player.password());
            page.fill("#new-password", newPassword);
            page.getByTestId("change-password").click();
            assertThat(page.getByTestId("flash").textContent()).contains("Your password is changed.");
            page.getByTestId("nav-logout").click();
            logIn(page, newEmail, newPassword, false);
            page.waitForURL(Pattern.compile(".*/pets$"));
            page.getByTestId("nav-logout").click();

            // forgotten: a link by mail, valid one day and once
            page.navigate(url("/forgot-password"));
            page.fill("#email", newEmail);
            page.getByTestId("forgot-button").click();
            page.waitForURL(Pattern.compile(".*/login$"));
            assertThat(page.getByTestId("flash").textContent()).contains("If an account has that email address");
            String reset = mailLink(page, newEmail, "Reset your LivePet password");
            page.navigate(reset);
            String resetPassword = "the password after the reset";
            page.fill("#password", resetPassword);
            Chromium.screenshot(page, "09-reset-password");
            page.getByTestId("reset-button").click();
            page.waitForURL(Pattern.compile(".*/login$"));
            logIn(page, newEmail, resetPassword, false);
            page.waitForURL(Pattern.compile(".*/pets$"));
            page.navigate(reset);
            assertThat(page.getByTestId("link-expired").textContent()).contains("invalid or has expired");
        }
    }

    @Test
    void aWrongEmailAndAWrongPasswordGetTheSameAnswerAndManyAttemptsOnlyMakeThePlayerWait() throws Exception {
        LoginWindow.waitForRoom(Duration.ofSeconds(30)); // attempts are counted in fixed windows
        TestPlayer player = TestPlayer.register();
        try (BrowserContext context = chromium.browser.newContext()) {
            Page page = page(context);
            logIn(page, freshEmail(), player.password(), false);
            page.waitForURL(Pattern.compile(".*/login\\?error.*"));
            String wrongEmail = page.getByTestId("login-problem").textContent();
            logIn(page, player.email(), "not the password at all", false);
            page.waitForURL(Pattern.compile(".*/login\\?error.*"));
            String wrongPassword = page.getByTestId("login-problem").textContent();
            assertThat(wrongEmail).isEqualTo(wrongPassword).isEqualTo("Wrong email or password.");
            Chromium.screenshot(page, "10-wrong-login");

            // two attempts so far; nine more guesses use the email's ten free attempts and wait past them: the
            // player, who knows the password, waits a moment too and is in
            for (int i = 0; i < 9; i++) {
                given().redirects().follow(false).formParam("j_username", player.email())
                        .formParam("j_password", "guess " + i).post("/j_security_check");
            }
            logIn(page, player.email(), player.password(), false);
            page.waitForURL(Pattern.compile(".*/pets$"));
            assertThat(context.cookies()).anyMatch(c -> c.name.equals(TestPlayer.SESSION));
        }
    }

    @Test
    void twoPlayersInTwoBrowsersVisitButNeverWatchTheOthersLivingPetAndNamesAreHarmless() {
        TestPlayer alice = TestPlayer.register();
        TestPlayer bob = TestPlayer.register();
        long alicesPet = PetsTable.freshId();
        long alicesDeadPet = PetsTable.freshId();
        PetsTable.insert(alicesPet, alice.id(), "Secret Rex", Species.DOG, 5, 250, true, 6);
        PetsTable.insert(alicesDeadPet, alice.id(), "Old Tom", Species.CAT, 10001, 500, false, 10002);
        try (BrowserContext alicesBrowser = chromium.browser.newContext();
             BrowserContext bobsBrowser = chromium.browser.newContext()) {
            Page a = page(alicesBrowser);
            Page b = page(bobsBrowser);
            logIn(a, alice.email(), alice.password(), false);
            logIn(b, bob.email(), bob.password(), false);
            a.waitForURL(Pattern.compile(".*/pets$"));
            b.waitForURL(Pattern.compile(".*/pets$"));

            a.navigate(url("/pets/" + alicesPet));
            assertThat(a.getByTestId("pet-name").textContent()).isEqualTo("Secret Rex");
            a.getByTestId("pet-age").waitFor();
            // a viewer that restarts leaves the live card without its socket: the page tries again within seconds,
            // never the ws extension's own wait, which grows to a minute
            Object longestWait = a.evaluate("() => typeof htmx.config.wsReconnectDelay !== 'function' ? -1"
                    + " : Math.max(...Array.from({length: 100}, (_, i) => htmx.config.wsReconnectDelay(i % 12)))");
            assertThat(((Number) longestWait).doubleValue()).as("the longest wait before the socket opens again, ms")
                    .isBetween(0.0, 5000.0);

            // Bob visits: a read-only card (no live stream, no feed button) with a treat button
            b.navigate(url("/pets/" + alicesPet));
            assertThat(b.getByTestId("pet-visit").isVisible()).isTrue();
            assertThat(b.getByTestId("pet-name").textContent()).isEqualTo("Secret Rex");
            assertThat(b.getByTestId("feed-button").count()).isZero();
            assertThat(b.locator("[ws-connect]").count()).as("no live stream for a visitor").isZero();
            assertThat(b.getByTestId("give-treat").isEnabled()).isTrue();
            Chromium.screenshot(b, "11-someone-elses-living-pet");
            b.navigate(url("/pets/" + PetsTable.freshId()));
            assertThat(b.getByTestId("flash").textContent()).isEqualTo("Pet not found");

            b.navigate(url("/pets/" + alicesDeadPet));
            assertThat(b.getByTestId("pet-memorial").textContent()).contains("Old Tom has died of old age");
            assertThat(b.getByTestId("feed-button").count()).isZero();
            Chromium.screenshot(b, "12-someone-elses-dead-pet");

            // a name that is markup stays text: no script runs, the page shows exactly what was typed
            AtomicBoolean dialog = new AtomicBoolean();
            a.onDialog(d -> {
                dialog.set(true);
                d.dismiss();
            });
            String name = "<script>alert('owned')</script>";
            a.navigate(url("/pets/new"));
            a.fill("#name", name);
            a.getByTestId("species-crab").click();
            a.getByTestId("create-pet").click();
            a.waitForURL(Pattern.compile(".*/pets/\\d+$"));
            assertThat(a.getByTestId("pet-name").textContent()).isEqualTo(name);
            assertThat(a.getByTestId("flash").textContent()).contains(name);
            Chromium.screenshot(a, "13-markup-name-is-text");
            assertThat(dialog).as("a script ran").isFalse();
        }
    }

    @Test
    void aNewPlayerRegistersOpensTheLinkAndGivesATreatToAPetFoundInActivePets() {
        TestPlayer ann = TestPlayer.register();
        long annsPet = PetsTable.freshId();
        String annsName = "Around " + annsPet;
        PetsTable.insert(annsPet, ann.id(), annsName, Species.RABBIT, 3, 300, true, 4);
        try (BrowserContext annsBrowser = chromium.browser.newContext();
             BrowserContext newcomersBrowser = chromium.browser.newContext()) {
            // Ann watches her pet, so she is around
            Page a = page(annsBrowser);
            logIn(a, ann.email(), ann.password(), false);
            a.waitForURL(Pattern.compile(".*/pets$"));
            a.navigate(url("/pets/" + annsPet));

            Page n = page(newcomersBrowser);
            String email = freshEmail();
            n.navigate(url("/register"));
            n.fill("#email", email);
            n.fill("#password", "twelve chars or more");
            n.getByTestId("register-button").click();
            n.waitForURL(Pattern.compile(".*/login$"));
            n.navigate(mailLink(n, email, "Confirm your email address"));
            n.fill("#confirm-password", "twelve chars or more");
            n.getByTestId("confirm-button").click();
            n.waitForURL(Pattern.compile(".*/pets$"));
            assertThat(n.getByTestId("my-pets-empty").isVisible()).isTrue();
            String newcomer = TestPlayer.accountId(email);

            n.getByTestId("nav-active-pets").click();
            Locator annsEntry = n.locator("[data-testid=active-pet][data-pet-id='" + annsPet + "']");
            annsEntry.waitFor();
            annsEntry.getByTestId("active-pet-name").click();
            n.waitForURL(Pattern.compile(".*/pets/" + annsPet + "$"));
            assertThat(n.getByTestId("pet-visit").textContent()).contains(annsName, "belongs to another player");
            assertThat(n.getByTestId("pet-hearts").getAttribute("data-hearts")).isNotBlank();
            assertThat(n.getByTestId("treat-note").textContent()).isEqualTo("You have 5 treats left.");
            n.getByTestId("give-treat").click();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(n.getByTestId("treat-note")
                    .textContent()).contains("A treat is on its way to " + annsName + ". 4 left."));
            Chromium.screenshot(n, "15-newcomer-gave-a-treat");
            assertThat(PetTopics.commands()).anyMatch(s -> s.command() instanceof FeedCommand feed
                    && feed.petId() == annsPet && feed.giver().equals(newcomer) && feed.food() == Food.TREAT);
        }
    }

    @Test
    void withoutJavaScriptAPlayerFeedsTheirPetAndGivesATreatThroughThePlainForms() {
        TestPlayer ann = TestPlayer.register();
        TestPlayer bob = TestPlayer.register();
        long annsPet = PetsTable.freshId();
        long bobsPet = PetsTable.freshId();
        String annsName = "Scripted " + annsPet;
        PetsTable.insert(annsPet, ann.id(), annsName, Species.FOX, 3, 300, true, 4);
        PetsTable.insert(bobsPet, bob.id(), "Plain " + bobsPet, Species.TOTORO, 3, 300, true, 4);
        try (BrowserContext annsBrowser = chromium.browser.newContext();
             BrowserContext plainBrowser = chromium.browser.newContext(
                     new Browser.NewContextOptions().setJavaScriptEnabled(false))) {
            // Ann watches her pet (with JavaScript), so she is around for Bob
            Page a = page(annsBrowser);
            logIn(a, ann.email(), ann.password(), false);
            a.waitForURL(Pattern.compile(".*/pets$"));
            a.navigate(url("/pets/" + annsPet));

            Page b = page(plainBrowser);
            logIn(b, bob.email(), bob.password(), false);
            b.waitForURL(Pattern.compile(".*/pets$"));
            b.navigate(url("/pets/" + bobsPet));
            b.getByTestId("feed-button").click();
            b.waitForURL(Pattern.compile(".*/pets/" + bobsPet + "$"));
            assertThat(b.getByTestId("flash").textContent()).isEqualTo("A meal is on its way to Plain " + bobsPet + ".");
            assertThat(PetTopics.commands()).anyMatch(s -> s.command() instanceof FeedCommand feed
                    && feed.petId() == bobsPet && feed.giver().equals(bob.id()));

            // Active Pets as the page renders it: no socket ever fills it here
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                b.navigate(url("/pets/active"));
                return b.locator("[data-testid=active-pet][data-pet-id='" + annsPet + "']").count() == 1;
            });
            Locator annsEntry = b.locator("[data-testid=active-pet][data-pet-id='" + annsPet + "']");
            assertThat(annsEntry.getByTestId("give-treat").textContent()).isEqualTo("Give Treat (5 left)");
            annsEntry.getByTestId("give-treat").click();
            b.waitForURL(Pattern.compile(".*/pets/active$"));
            assertThat(b.getByTestId("flash").textContent()).isEqualTo("A treat is on its way to " + annsName + ". 4 left.");
            assertThat(b.locator("[data-testid=active-pet][data-pet-id='" + annsPet + "'] [data-testid=give-treat]")
                    .textContent()).isEqualTo("Give Treat (4 left)");
            Chromium.screenshot(b, "14-treat-without-javascript");
            assertThat(PetTopics.commands()).anyMatch(s -> s.command() instanceof FeedCommand feed
                    && feed.petId() == annsPet && feed.giver().equals(bob.id()));
        }
    }

    private Page page(BrowserContext context) {
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                policyViolations.add(page.url() + ": " + message.text());
            }
        });
        return page;
    }

    private void logIn(Page page, String email, String password, boolean remember) {
        page.navigate(url("/login"));
        page.fill("#email", email);
        page.fill("#password", password);
        if (remember) {
            page.getByTestId("remember").check();
        }
        page.getByTestId("login-button").click();
        page.waitForLoadState();
    }

    /** The link of the newest mail to {@code to} with this subject, from the mailbox page. */
    private String mailLink(Page page, String to, String subject) {
        Locator mail = page.locator("[data-testid=mail][data-to='" + to + "']")
                .filter(new Locator.FilterOptions().setHasText(subject)).first();
        // a reset mail goes out after the answer: the mailbox is read again until it shows the mail
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            page.navigate(url("/mailbox"));
            return mail.count() > 0;
        });
        String link = mail.getByTestId("mail-link").getAttribute("href");
        // mails point at the configured public address (%test: https://livepet.test); this viewer has a random port
        assertThat(link).startsWith(PUBLIC_URL + "/");
        return url(link.substring(PUBLIC_URL.length()));
    }

    private static Cookie cookie(BrowserContext context, String name) {
        return context.cookies().stream().filter(c -> c.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private static String freshEmail() {
        return "browser-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }
}
