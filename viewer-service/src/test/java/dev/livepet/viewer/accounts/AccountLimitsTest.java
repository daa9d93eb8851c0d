package dev.livepet.viewer.accounts;

import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.LoginWindow;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import dev.livepet.viewer.limits.PlayerRateLimits;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What costs us a hash or someone a mail, and what fills the world, is limited per network, email or player, in the
 * windows every instance shares: past a limit a 429 (or 409) with a sentence, and nothing done.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class AccountLimitsTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @BeforeEach
    void theHourHasRoom() throws InterruptedException {
        LoginWindow.waitForRoom(Duration.ofSeconds(30), HOUR);
    }

    @Test
    void aNetworkPastItsSignUpsIsRefusedAndAnotherStillSignsUp() throws Exception {
        String crowded = freshAddress();
        String other = freshAddress();
        LoginWindow.attemptsElsewhere(crowded, AccountLimits.Limit.REGISTRATIONS.action, setting("registrations-per-address"), HOUR);

        String email = "crowded-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Response refused = registerVia(crowded, email);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.asString()).contains("Too many accounts were made from your network in the last hour.")
                .doesNotContain("Exception");
        assertThat(PetsTable.query(List.of(), "SELECT count(*) FROM accounts WHERE email = '" + email + "'"))
                .containsExactly("0");

        Response welcome = registerVia(other, "other-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertThat(welcome.statusCode()).isEqualTo(303);
        assertThat(welcome.header("Location")).endsWith("/login");
        assertThat(LoginWindow.keys(AccountLimits.Limit.REGISTRATIONS.action, HOUR)).contains(crowded, other);
    }

    @Test
    void signUpsWithAPlayersAddressMailThatPlayerAtMostThreeTimesAnHour() {
        TestPlayer player = TestPlayer.register();
        int perEmail = setting("sign-up-mails-per-email");
        for (int i = 0; i <= perEmail; i++) {
            Response again = registerVia(freshAddress(), player.email());
            assertThat(again.statusCode()).isEqualTo(303);
            assertThat(again.header("Location")).endsWith("/login");
        }
        // its own sign-up counted once, then each of these; only those within the limit got a mail
        String emailKey = LoginLimits.emailKey(player.email());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(PetsTable.query(List.of(), "SELECT used FROM player_rate_windows WHERE action = '"
                    + AccountLimits.Limit.SIGN_UP_MAILS.action + "' AND player_id = '" + emailKey + "'"))
                    .containsExactly(String.valueOf(perEmail + 2));
            assertThat(given().get("/mailbox").asString().split("data-to=\"" + player.email() + "\"", -1))
                    .as("the confirmation mail and %d 'you already have an account' mails", perEmail - 1)
                    .hasSize(1 + 1 + perEmail - 1);
        });
        TestPlayer.logIn(player.email(), player.password());
    }

    @Test
    void aResetAnswersAlikeForAnyAddressAndMailsOneEmailAtMostThreeTimesAnHour() {
        TestPlayer player = TestPlayer.register();
        int perEmail = setting("reset-mails-per-email");
        for (int i = 0; i <= perEmail; i++) {
            Response asked = player.form().formParam("email", player.email()).post("/forgot-password");
            Response unknown = player.form().formParam("email", "nobody-" + UUID.randomUUID() + "@example.com")
                    .post("/forgot-password");
            assertThat(asked.statusCode()).isEqualTo(303).isEqualTo(unknown.statusCode());
            assertThat(asked.header("Location")).isEqualTo(unknown.header("Location"));
        }
        // every request is counted before its mail is sent, and only those within the limit get one
        String emailKey = LoginLimits.emailKey(player.email());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(PetsTable.query(List.of(), "SELECT used FROM player_rate_windows WHERE action = '"
                    + AccountLimits.Limit.RESET_MAILS.action + "' AND player_id = '" + emailKey + "'"))
                    .containsExactly(String.valueOf(perEmail + 1));
            assertThat(resetLinks(player)).isEqualTo(perEmail);
        });
        assertThat(given().get("/mailbox").asString().split("data-to=\"" + player.email() + "\"", -1))
                .as("the confirmation mail and %d reset mails", perEmail).hasSize(1 + 1 + perEmail);
    }

    @Test
    void aNetworkPastItsResetRequestsIsRefused() throws Exception {
        String busy = freshAddress();
        LoginWindow.attemptsElsewhere(busy, AccountLimits.Limit.RESET_REQUESTS.action, setting("reset-requests-per-address"), HOUR);
        TestPlayer player = TestPlayer.register();

        Response refused = player.form().header("X-Forwarded-For", busy).formParam("email", player.email())
                .post("/forgot-password");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.asString()).contains("Too many password resets were asked for from your network")
                .doesNotContain("Exception");
        assertThat(resetLinks(player)).isZero();
    }

    @Test
    void anAccountAsksForAtMostFiveMailsAnHour() {
        TestPlayer player = TestPlayer.register();
        int perAccount = setting("mails-per-account");
        for (int i = 0; i < perAccount; i++) {
            player.form().post("/settings/confirmation").then().statusCode(303);
        }
        Response refused = player.form().post("/settings/confirmation");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.asString()).contains("You asked for " + perAccount + " mails in the last hour.")
                .contains("data-testid=\"settings-problem\"").doesNotContain("Exception");
        // an email change sends a mail too
        player.form().formParam("email", "new-" + player.email()).formParam("password", player.password())
                .post("/settings/email").then().statusCode(429);
    }

    @Test
    void guessingTheCurrentPasswordInTheSettingsStopsAtTheLimitEvenWithTheRightOne() throws Exception {
        TestPlayer player = TestPlayer.register();
        LoginWindow.attemptsElsewhere(player.id(), AccountLimits.Limit.PASSWORD_CHECKS.action, setting("password-checks-per-account"),
                HOUR);
        String hashBefore = passwordHash(player);

        Response refused = player.form().formParam("currentPassword", player.password())
                .formParam("newPassword", "another long enough secret").post("/settings/password");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.asString()).contains("Too many tries with your current password in the last hour.");
        assertThat(passwordHash(player)).isEqualTo(hashBefore);
    }

    @Test
    void aPlayerAdoptsAtMostTwentyAnHourAndKeepsAtMostFiftyAlive() throws Exception {
        TestPlayer hurried = TestPlayer.register();
        int perHour = ConfigProvider.getConfig().getValue("livepet.viewer.limits.adoptions", Integer.class);
        LoginWindow.attemptsElsewhere(hurried.id(), PlayerRateLimits.Action.ADOPT.key(), perHour, HOUR);
        Response tooSoon = adopt(hurried, "Hasty");
        assertThat(tooSoon.statusCode()).isEqualTo(429);
        assertThat(tooSoon.asString()).contains("Slow down: at most " + perHour + " adoptions every hour.");

        TestPlayer keeper = TestPlayer.register();
        int alive = ConfigProvider.getConfig().getValue("livepet.viewer.limits.alive-pets", Integer.class);
        for (int i = 0; i < alive; i++) {
            PetsTable.insert(PetsTable.freshId(), keeper.id(), "Kept " + i, Species.CAT, 10, 100, true, 1);
        }
        Response full = adopt(keeper, "One Too Many");
        assertThat(full.statusCode()).isEqualTo(409);
        assertThat(full.asString()).contains("You already keep " + alive + " living pets, the most one player may.");

        // one of them dies of old age: there is room again
        PetsTable.query(List.of(), "UPDATE pets SET alive = false, cause = 'died' WHERE id = (SELECT id FROM pets"
                + " WHERE owner = '" + keeper.id() + "' LIMIT 1) RETURNING id");
        assertThat(adopt(keeper, "Welcome Back").statusCode()).isEqualTo(303);
    }

    private static Response registerVia(String address, String email) {
        Response form = given().get("/register");
        return given().redirects().follow(false).header("X-Forwarded-For", address)
                .cookie(TestPlayer.CSRF_COOKIE, form.cookie(TestPlayer.CSRF_COOKIE))
                .formParam("email", email).formParam("password", "a long enough secret")
                .formParam(TestPlayer.CSRF_FIELD, TestPlayer.csrfIn(form.asString())).post("/register");
    }

    private static Response adopt(TestPlayer player, String name) {
        return player.form().formParam("name", name).formParam("species", "cat")
                .formParam("commandId", UUID.randomUUID().toString()).post("/pets");
    }

    private static int resetLinks(TestPlayer player) {
        return Integer.parseInt(PetsTable.query(List.of(), "SELECT count(*) FROM account_tokens WHERE account_id = "
                + player.id() + " AND purpose = 'RESET_PASSWORD'").get(0));
    }

    private static String passwordHash(TestPlayer player) {
        return PetsTable.query(List.of(), "SELECT password_hash FROM accounts WHERE id = " + player.id()).get(0);
    }

    private static int setting(String name) {
        return ConfigProvider.getConfig().getValue("livepet.viewer.accounts." + name, Integer.class);
    }

    // benchmarking addresses (RFC 2544), a fresh one per test, as the trusted proxy forwards them
    private static String freshAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.18." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }
}
