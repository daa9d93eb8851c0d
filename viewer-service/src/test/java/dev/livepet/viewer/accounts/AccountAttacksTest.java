package dev.livepet.viewer.accounts;

import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.LoginWindow;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import dev.livepet.viewer.ViewerMetrics;
import dev.livepet.viewer.limits.RateWindows;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** Brute force, session fixation and CSRF, over real HTTP as an attacker would try them. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class AccountAttacksTest {
    private static final String REFUSED_FORM = "This form has expired or did not come from LivePet.";

    @Inject
    RateWindows rateWindows;

    @TestHTTPResource("/")
    URI base;

    @Test
    void guessingAPasswordIsSlowedDownPastTenAttemptsButNeverLocksThePlayerOut() throws Exception {
        LoginWindow.waitForRoom(Duration.ofSeconds(30)); // attempts are counted in fixed windows
        TestPlayer victim = TestPlayer.register();
        // register() logged in once: nine wrong guesses use the email's ten free attempts
        for (int i = 0; i < 9; i++) {
            Response guess = login(victim.email(), "guess number " + i);
            assertThat(guess.statusCode()).isEqualTo(302);
            assertThat(guess.header("Location")).contains("/login?error");
            assertThat(guess.cookie(TestPlayer.SESSION)).as("no session for a wrong password").isNullOrEmpty();
        }
        double delayedBefore = delayedLogins();

        // a guesser past the free attempts waits before each check; still the same answer
        Response eleventh = login(victim.email(), "guess number 10");
        assertThat(eleventh.header("Location")).contains("/login?error");
        assertThat(delayedLogins()).as("the eleventh attempt waited").isEqualTo(delayedBefore + 1);

        // the player, who knows the password, waits too and logs in: nobody can lock them out
        Response right = login(victim.email(), victim.password());
        assertThat(right.header("Location")).as("the right password, past the free attempts")
                .doesNotContain("throttled", "error");
        assertThat(right.cookie(TestPlayer.SESSION)).isNotBlank();
        assertThat(delayedLogins()).isEqualTo(delayedBefore + 2);
    }

    @Test
    void attemptsCountedByAnotherViewerInstanceCountHereToo() throws Exception {
        LoginWindow.waitForRoom(Duration.ofSeconds(30));
        TestPlayer player = TestPlayer.register(); // one attempt, here
        // eight on another instance, written to the shared table as its RateWindows would: nine of the ten
        LoginWindow.attemptsElsewhere(LoginLimits.emailKey(player.email()), LoginLimits.PER_EMAIL, 8);
        TestPlayer.logIn(player.email(), player.password()); // the tenth, here

        double delayedBefore = delayedLogins();
        Response eleventh = login(player.email(), player.password());
        assertThat(delayedLogins()).as("the eleventh, counted on two instances, waited").isEqualTo(delayedBefore + 1);
        assertThat(eleventh.cookie(TestPlayer.SESSION)).isNotBlank();
        // the email is the key whatever its case
        login(player.email().toUpperCase(), player.password());
        assertThat(delayedLogins()).isEqualTo(delayedBefore + 2);

        // the client address (every test's is the same): another instance filled its count too, and nobody logs in from it
        TestPlayer bystander = TestPlayer.register();
        List<String> addresses = LoginWindow.keys(LoginLimits.PER_ADDRESS);
        assertThat(addresses).as("the address of this test's logins, counted in the shared table").hasSize(1);
        int perAddress = ConfigProvider.getConfig().getValue("livepet.viewer.accounts.login-attempts-per-address",
                Integer.class);
        try {
            LoginWindow.attemptsElsewhere(addresses.get(0), LoginLimits.PER_ADDRESS, perAddress);
            Response fromTheAddress = login(bystander.email(), bystander.password());
            assertThat(fromTheAddress.header("Location")).contains("/login?throttled");
            assertThat(fromTheAddress.cookie(TestPlayer.SESSION)).isNullOrEmpty();
            given().get(fromTheAddress.header("Location")).then().statusCode(200)
                    .body(containsString("Too many attempts to log in. Please wait a few minutes and try again."));
        } finally {
            LoginWindow.forget(addresses.get(0), LoginLimits.PER_ADDRESS); // the other tests log in from it too
        }
        TestPlayer.logIn(bystander.email(), bystander.password());
    }

    @Test
    void aFloodOfLoginsRunsAtMostTwoPasswordChecksAtOnce() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String form = "j_username=%s&j_password=wrong";
        List<CompletableFuture<HttpResponse<Void>>> flood = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String email = URLEncoder.encode("flood-" + i + "-" + UUID.randomUUID() + "@example.com", StandardCharsets.UTF_8);
            flood.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/j_security_check"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.formatted(email))).build(),
                    HttpResponse.BodyHandlers.discarding()));
        }
        for (CompletableFuture<HttpResponse<Void>> login : flood) {
            assertThat(login.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(302);
        }
        double mostAtOnce = ViewerMetrics.value("livepet_viewer_password_hashing_most_at_once");
        assertThat(mostAtOnce).as("bcrypt checks that ran at once (livepet.viewer.accounts.hashing-threads)")
                .isBetween(1.0, 2.0);
    }

    @Test
    void behindTheProxyEveryPlayerIsCountedUnderTheAddressItForwards() throws Exception {
        TestPlayer player = TestPlayer.register();
        TestPlayer honest = TestPlayer.register();
        String flooder = "203.0.113.7";
        String elsewhere = "198.51.100.23";
        int perAddress = ConfigProvider.getConfig().getValue("livepet.viewer.accounts.login-attempts-per-address",
                Integer.class);
        try {
            // the proxy (this test's loopback address, trusted) forwards a flood from one address: that address is full
            LoginWindow.attemptsElsewhere(flooder, LoginLimits.PER_ADDRESS, perAddress);
            Response flooded = loginVia(flooder, player.email(), player.password());
            assertThat(flooded.header("Location")).contains("/login?throttled");
            assertThat(flooded.cookie(TestPlayer.SESSION)).isNullOrEmpty();
            // ...and a player on another address, through the same proxy, logs in
            Response fromElsewhere = loginVia(elsewhere, honest.email(), honest.password());
            assertThat(fromElsewhere.header("Location")).doesNotContain("throttled", "error");
            assertThat(fromElsewhere.cookie(TestPlayer.SESSION)).isNotBlank();
            assertThat(LoginWindow.keys(LoginLimits.PER_ADDRESS)).contains(flooder, elsewhere);
        } finally {
            LoginWindow.forget(flooder, LoginLimits.PER_ADDRESS); // the other tests count this class' addresses
            LoginWindow.forget(elsewhere, LoginLimits.PER_ADDRESS);
        }
    }

    @Test
    void theCountsOfPastWindowsAreForgottenAndTheCurrentOnesKept() throws Exception {
        LoginWindow.waitForRoom(Duration.ofSeconds(30));
        String past = LoginLimits.emailKey("past-" + UUID.randomUUID() + "@example.com");
        String current = LoginLimits.emailKey("current-" + UUID.randomUUID() + "@example.com");
        LoginWindow.attemptsElsewhere(past, LoginLimits.PER_EMAIL, 3, -1);
        LoginWindow.attemptsElsewhere(current, LoginLimits.PER_EMAIL, 3);
        assertThat(LoginWindow.keys(LoginLimits.PER_EMAIL, -1)).contains(past);

        rateWindows.forgetPastWindows().await().atMost(Duration.ofSeconds(30));

        assertThat(LoginWindow.keys(LoginLimits.PER_EMAIL, -1)).doesNotContain(past);
        assertThat(LoginWindow.keys(LoginLimits.PER_EMAIL)).contains(current);
    }

    @Test
    void aSessionCookiePlantedBeforeLoginIsNeitherKeptNorAcceptedAndAForgedOneIsRefused() {
        TestPlayer player = TestPlayer.register();
        // a visitor's pages set no session at all: there is nothing to fixate
        assertThat(given().get("/login").cookie(TestPlayer.SESSION)).isNullOrEmpty();
        assertThat(given().get("/register").cookie(TestPlayer.SESSION)).isNullOrEmpty();
        Random random = new Random(7);
        byte[] forged = new byte[96];
        random.nextBytes(forged);
        String planted = Base64.getUrlEncoder().withoutPadding().encodeToString(forged);

        Response login = given().redirects().follow(false).cookie(TestPlayer.SESSION, planted)
                .formParam("j_username", player.email()).formParam("j_password", player.password())
                .post("/j_security_check");

        String issued = login.cookie(TestPlayer.SESSION);
        assertThat(issued).as("a new session cookie at login").isNotBlank().isNotEqualTo(planted);
        assertThat(pets(planted).statusCode()).as("the planted cookie").isEqualTo(302);
        assertThat(pets(issued).statusCode()).as("the issued cookie").isEqualTo(200);
        // a real session changed by one character, or cut, or another player's with a byte flipped: no login (a change
        // in the last four characters may touch only the spare bits of a padded end, which Base64 decoding ignores)
        for (String tampered : List.of(flip(player.session(), 10), flip(player.session(), player.session().length() - 6),
                player.session().substring(0, player.session().length() / 2), player.session() + "AA", "",
                "1|" + player.id(), player.id())) {
            assertThat(pets(tampered).statusCode()).as(tampered).isEqualTo(302);
            assertThat(pets(tampered).header("Location")).contains("/login");
        }
    }

    @Test
    void formsWithNoTokenAWrongOneOrAnotherSessionsAreRefusedWithASentenceAndChangeNothing() {
        TestPlayer player = TestPlayer.register();
        TestPlayer attacker = TestPlayer.register();
        long petId = PetsTable.freshId();
        long othersPet = PetsTable.freshId();
        PetsTable.insert(petId, player.id(), "Guarded", Species.FOX, 3, 400, true, 5);
        PetsTable.insert(othersPet, attacker.id(), "Bait", Species.FISH, 3, 400, true, 5);
        String commandId = UUID.randomUUID().toString();
        List<Function<RequestSpecification, RequestSpecification>> tokens = List.of(
                request -> request, // none
                request -> request.formParam(TestPlayer.CSRF_FIELD, "not-the-token"),
                request -> request.formParam(TestPlayer.CSRF_FIELD, attacker.csrf()), // another session's token
                request -> request.header("HX-Request", "true").header("X-CSRF-TOKEN", attacker.csrf()),
                // the attacker's token with the attacker's token cookie, but the player's session: the cookie is the
                // player's browser's, which an attacker's page cannot set
                request -> request.cookie(TestPlayer.CSRF_COOKIE, "").formParam(TestPlayer.CSRF_FIELD, attacker.csrf()));
        for (Function<RequestSpecification, RequestSpecification> token : tokens) {
            refused(token.apply(player.http().formParam("name", "Sneaky").formParam("species", "cat")
                    .formParam("commandId", commandId)).post("/pets"));
            refused(token.apply(player.http()).post("/pets/" + petId + "/feed"));
            refused(token.apply(player.http().formParam("page", "0")).post("/pets/" + othersPet + "/treat"));
            refused(token.apply(player.http().formParam("email", "attacker@example.com")
                    .formParam("password", player.password())).post("/settings/email"));
            refused(token.apply(player.http().formParam("currentPassword", player.password())
                    .formParam("newPassword", "the attacker's password")).post("/settings/password"));
        }

        assertThat(PetTopics.commands()).noneMatch(s -> s.command().commandId().equals(commandId)
                || s.command().petId() == petId || s.command().petId() == othersPet);
        player.http().get("/settings").then().statusCode(200).body(containsString(player.email()));
        assertThat(given().get("/mailbox").asString()).doesNotContain("attacker@example.com");
        TestPlayer.logIn(player.email(), player.password());
    }

    private static void refused(Response response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.asString()).contains(REFUSED_FORM).doesNotContain("Exception");
    }

    /** How many logins have waited on this instance since it started ({@code livepet_viewer_logins_delayed_total}). */
    private static double delayedLogins() {
        return ViewerMetrics.value("livepet_viewer_logins_delayed_total");
    }

    /** A login as a reverse proxy forwards it for a browser at {@code address}. */
    private static Response loginVia(String address, String email, String password) {
        return given().redirects().follow(false).header("X-Forwarded-For", address).formParam("j_username", email)
                .formParam("j_password", password).post("/j_security_check");
    }

    private static Response login(String email, String password) {
        return given().redirects().follow(false).formParam("j_username", email).formParam("j_password", password)
                .post("/j_security_check");
    }

    private static Response pets(String session) {
        return given().redirects().follow(false).cookie(TestPlayer.SESSION, session).get("/pets");
    }

    private static String flip(String cookie, int at) {
        char c = cookie.charAt(at);
        return cookie.substring(0, at) + (c == 'A' ? 'B' : 'A') + cookie.substring(at + 1);
    }
}
