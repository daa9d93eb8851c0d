package dev.livepet.viewer.accounts;

import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** Accounts over plain HTTP: what is stored, how long links work, which cookies are set, what is refused. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class AccountPagesTest {

    @Test
    void aPasswordIsKeptOnlyAsABcryptHashAndTheLinksWorkSevenDaysAndOneDay() throws Exception {
        TestPlayer player = TestPlayer.register();
        String hash = single("SELECT password_hash FROM accounts WHERE id = " + player.id());
        assertThat(hash).doesNotContain(player.password());
        assertThat(hash).as("bcrypt at the cost measured for this machine (11)").matches("\\$2[aby]\\$11\\$.{53}");

        Instant confirmUntil = Instant.parse(single("SELECT to_char(expires_at AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM account_tokens WHERE account_id = " + player.id()
                + " AND purpose = 'CONFIRM_EMAIL'"));
        assertThat(Duration.between(Instant.now(), confirmUntil).toMinutes())
                .isCloseTo(Duration.ofDays(7).toMinutes(), within(5L));

        player.form().formParam("email", player.email().toUpperCase()).post("/forgot-password")
                .then().statusCode(303);
        TestPlayer.mailedLink(player.email(), "Reset");
        Instant resetUntil = Instant.parse(single("SELECT to_char(expires_at AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM account_tokens WHERE account_id = " + player.id()
                + " AND purpose = 'RESET_PASSWORD'"));
        assertThat(Duration.between(Instant.now(), resetUntil).toMinutes())
                .isCloseTo(Duration.ofDays(1).toMinutes(), within(5L));
        // only hashes of the links' secrets are stored
        assertThat(single("SELECT min(length(token_hash)) FROM account_tokens WHERE account_id = " + player.id()))
                .isEqualTo("64");
    }

    @Test
    void aSignUpMailsItsLinkAndTheLinkLogsTheNewPlayerInOnMyPets() throws Exception {
        String email = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Response registered = signUp(email, "a long enough secret");

        assertThat(registered.statusCode()).isEqualTo(303);
        assertThat(registered.header("Location")).endsWith("/login");
        assertThat(registered.cookie(TestPlayer.SESSION)).as("nobody is logged in before the link").isNull();
        given().redirects().follow(false).cookies(registered.cookies()).get("/login").then().statusCode(200)
                .body(containsString("We sent a link to " + email), containsString("open it to start playing"));

        // the link asks for the password chosen at sign-up; its button confirms the address and logs the new player in
        String link = TestPlayer.mailedLink(email, "Confirm your email address");
        Response asked = given().get(link.substring(link.indexOf("/confirm-email")));
        assertThat(asked.asString()).contains("data-testid=\"confirm-password\"");
        String token = link.substring(link.indexOf("token=") + "token=".length());
        Response confirmed = given().redirects().follow(false).cookie(TestPlayer.CSRF_COOKIE, asked.cookie(TestPlayer.CSRF_COOKIE))
                .formParam(TestPlayer.CSRF_FIELD, TestPlayer.csrfIn(asked.asString())).formParam("token", token)
                .formParam("password", "a long enough secret").post("/confirm-email");
        assertThat(confirmed.statusCode()).isEqualTo(303);
        assertThat(confirmed.header("Location")).endsWith("/pets");
        assertThat(confirmed.cookie(TestPlayer.SESSION)).as("the first link's session").isNotBlank();
        given().redirects().follow(false).cookies(confirmed.cookies()).get("/pets").then().statusCode(200)
                .body(containsString("Welcome to LivePet! Your email address is confirmed."));
        assertThat(single("SELECT email_confirmed_at IS NOT NULL FROM accounts WHERE lower(email) = '" + email + "'"))
                .isEqualTo("t");
    }

    @Test
    void aStrangerWhoSignedUpWithYourAddressCannotLandYouInTheirAccount() throws Exception {
        // a stranger signs up with the victim's address and a password of their own; the victim gets the link
        String victim = "victim-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        signUp(victim, "the stranger's own secret");
        String link = TestPlayer.mailedLink(victim, "Confirm your email address");
        String token = link.substring(link.indexOf("token=") + "token=".length());

        // the victim follows it: without that password nobody is logged in and nothing is confirmed or spent
        for (String password : new String[] {null, "", "the victim's own secret"}) {
            Response asked = given().get(link.substring(link.indexOf("/confirm-email")));
            var post = given().redirects().follow(false).cookie(TestPlayer.CSRF_COOKIE, asked.cookie(TestPlayer.CSRF_COOKIE))
                    .formParam(TestPlayer.CSRF_FIELD, TestPlayer.csrfIn(asked.asString())).formParam("token", token);
            Response refused = (password == null ? post : post.formParam("password", password)).post("/confirm-email");
            assertThat(refused.statusCode()).as("with password %s", password).isEqualTo(400);
            assertThat(refused.cookie(TestPlayer.SESSION)).as("a session with password %s", password).isNull();
            assertThat(refused.asString()).contains(AccountService.NOT_THE_FIRST_PASSWORD)
                    .contains("data-testid=\"confirm-password\"").doesNotContain("Exception");
        }
        assertThat(single("SELECT count(*) FROM accounts WHERE email_confirmed_at IS NULL AND lower(email) = '"
                + victim + "'")).isEqualTo("1");
        assertThat(single("SELECT count(*) FROM account_tokens t JOIN accounts a ON a.id = t.account_id"
                + " WHERE t.used_at IS NULL AND lower(a.email) = '" + victim + "'")).isEqualTo("1");
    }

    @Test
    void aSignUpWithAnAddressThatPlaysAlreadyIsAnsweredAlikeAndMailsThatAddressInstead() throws Exception {
        TestPlayer taken = TestPlayer.register();
        String fresh = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Response toFresh = signUp(fresh, "another long secret");
        Response toTaken = signUp(taken.email().toUpperCase(), "another long secret");

        // the same answer, but for the address it repeats
        assertThat(toTaken.statusCode()).isEqualTo(toFresh.statusCode()).isEqualTo(303);
        assertThat(toTaken.header("Location")).isEqualTo(toFresh.header("Location"));
        String flashOfTaken = given().cookies(toTaken.cookies()).get("/login").asString();
        String flashOfFresh = given().cookies(toFresh.cookies()).get("/login").asString();
        assertThat(withoutTokens(flashOfTaken.replace(taken.email().toUpperCase(), "ADDRESS")))
                .contains("We sent a link to ADDRESS").isEqualTo(withoutTokens(flashOfFresh.replace(fresh, "ADDRESS")));

        // the player of the taken address learns of it; their password and sessions stay
        TestPlayer.mailedLink(taken.email(), "You already have a LivePet account");
        TestPlayer.logIn(taken.email(), taken.password());
        assertThat(single("SELECT count(*) FROM accounts WHERE lower(email) = lower('" + taken.email() + "')"))
                .isEqualTo("1");
    }

    // every page carries its own CSRF token, in its forms and in htmx' headers
    private static String withoutTokens(String page) {
        return page.replaceAll("value=\"[^\"]*\"", "").replaceAll("\"X-CSRF-TOKEN\": \"[^\"]*\"", "");
    }

    private static Response signUp(String email, String password) {
        Response form = given().get("/register");
        return given().redirects().follow(false).cookie(TestPlayer.CSRF_COOKIE, form.cookie(TestPlayer.CSRF_COOKIE))
                .formParam("email", email).formParam("password", password)
                .formParam(TestPlayer.CSRF_FIELD, TestPlayer.csrfIn(form.asString())).post("/register");
    }

    @Test
    void everyMailedLinkStartsWithThePublicUrlWhateverHostTheRequestNamed() {
        TestPlayer player = TestPlayer.register();
        player.form().header("Host", "attacker.example").header("X-Forwarded-Host", "attacker.example")
                .header("Forwarded", "host=attacker.example;proto=http")
                .formParam("email", player.email()).post("/forgot-password").then().statusCode(303);
        TestPlayer.mailedLink(player.email(), "Reset");
        String mailbox = given().get("/mailbox").then().statusCode(200).extract().asString();
        assertThat(mailbox).contains("https://livepet.test/reset-password?token=",
                "https://livepet.test/confirm-email?token=").doesNotContain("attacker.example");
    }

    @Test
    void anExpiredResetLinkNoLongerWorks() throws Exception {
        TestPlayer player = TestPlayer.register();
        player.form().formParam("email", player.email()).post("/forgot-password").then().statusCode(303);
        String link = TestPlayer.mailedLink(player.email(), "Reset");
        String token = link.substring(link.indexOf("token=") + 6);
        given().queryParam("token", token).get("/reset-password").then().statusCode(200)
                .body(containsString("data-testid=\"reset-form\""));

        update("UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE account_id = " + player.id()
                + " AND purpose = 'RESET_PASSWORD'");
        given().queryParam("token", token).get("/reset-password").then().statusCode(200)
                .body(containsString("invalid or has expired"), not(containsString("reset-form")));
        player.form().formParam("token", token).formParam("password", "a brand new password").post("/reset-password")
                .then().statusCode(400).body(containsString("This link is invalid or has expired."));
        TestPlayer.logIn(player.email(), player.password());
    }

    @Test
    void openingAConfirmationLinkOnlyAsksAndPressingItsButtonConfirmsOnce() throws Exception {
        TestPlayer player = TestPlayer.register();
        String token = mailedToken(player.email(), "Confirm");

        // what a mail scanner does: it opens the link, maybe twice, and presses nothing
        for (int i = 0; i < 2; i++) {
            given().redirects().follow(false).queryParam("token", token).get("/confirm-email").then().statusCode(200)
                    .body(containsString("data-testid=\"confirm-form\""), containsString("Confirm <strong"),
                            containsString(player.email()));
        }
        assertThat(single("SELECT count(*) FROM accounts WHERE email_confirmed_at IS NULL AND id = " + player.id()))
                .isEqualTo("1");
        assertThat(single("SELECT count(*) FROM account_tokens WHERE used_at IS NULL AND account_id = " + player.id()))
                .isEqualTo("1");
        // the button's post needs the CSRF token like every form
        player.http().formParam("token", token).post("/confirm-email").then().statusCode(400)
                .body(containsString("This form has expired or did not come from LivePet."));
        assertThat(single("SELECT count(*) FROM accounts WHERE email_confirmed_at IS NULL AND id = " + player.id()))
                .isEqualTo("1");

        player.form().formParam("token", token).post("/confirm-email").then().statusCode(303)
                .header("Location", containsString("/settings"));
        assertThat(single("SELECT count(*) FROM accounts WHERE email_confirmed_at IS NOT NULL AND id = " + player.id()))
                .isEqualTo("1");
        player.http().get("/settings").then().statusCode(200).body(containsString("data-testid=\"email-confirmed\""));

        // spent: the link and its button now say so, and a made-up token too
        for (String spent : List.of(token, "not-a-token", "")) {
            player.form().formParam("token", spent).post("/confirm-email").then().statusCode(400)
                    .body(containsString("This link is invalid or has expired."), not(containsString("Exception")));
            given().queryParam("token", spent).get("/confirm-email").then().statusCode(400)
                    .body(containsString("This link is invalid or has expired."), not(containsString("confirm-form")));
        }
    }

    @Test
    void aNewAddressIsTheAccountsOnlyOnceItsLinksButtonIsPressed() throws Exception {
        TestPlayer player = TestPlayer.register();
        String newEmail = "moved-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        player.form().formParam("email", newEmail).formParam("password", player.password()).post("/settings/email")
                .then().statusCode(303);
        String token = mailedToken(newEmail, "Confirm");

        given().queryParam("token", token).get("/confirm-email").then().statusCode(200)
                .body(containsString(newEmail), containsString("data-testid=\"confirm-button\""));
        assertThat(single("SELECT email FROM accounts WHERE id = " + player.id())).isEqualTo(player.email());

        // pressed by a visitor (another browser, logged out): the address changes, and they are sent to log in
        Response page = given().queryParam("token", token).get("/confirm-email");
        given().redirects().follow(false).cookie(TestPlayer.CSRF_COOKIE, page.cookie(TestPlayer.CSRF_COOKIE))
                .formParam(TestPlayer.CSRF_FIELD, TestPlayer.csrfIn(page.asString())).formParam("token", token)
                .post("/confirm-email").then().statusCode(303).header("Location", containsString("/login"));
        assertThat(single("SELECT email FROM accounts WHERE id = " + player.id())).isEqualTo(newEmail);
    }

    @Test
    void registrationRefusesShortPasswordsAndBadAddresses() {
        Response form = given().get("/register");
        String csrf = TestPlayer.csrfIn(form.asString());
        for (List<String> attempt : List.of(
                List.of("short-" + UUID.randomUUID() + "@example.com", "elevenchars", "A password must be 12 to 72 characters long."),
                List.of("not an address", "long enough password", "Enter an email address such as name@example.com."))) {
            given().redirects().follow(false).cookie(TestPlayer.CSRF_COOKIE, form.cookie(TestPlayer.CSRF_COOKIE))
                    .formParam(TestPlayer.CSRF_FIELD, csrf).formParam("email", attempt.get(0))
                    .formParam("password", attempt.get(1)).post("/register")
                    .then().statusCode(400).body(containsString(attempt.get(2)));
        }
    }

    @Test
    void cookiesAreHttpOnlyAndSameSiteAndALoginFromAnotherSiteIsRefused() {
        TestPlayer player = TestPlayer.register();
        Response login = given().redirects().follow(false).formParam("j_username", player.email())
                .formParam("j_password", player.password()).post("/j_security_check");
        assertThat(login.headers().getValues("Set-Cookie")).filteredOn(c -> c.startsWith(TestPlayer.SESSION + "="))
                .singleElement().satisfies(c -> assertThat(c).containsIgnoringCase("HttpOnly").contains("SameSite=Lax")
                        .doesNotContain("Max-Age"));
        assertThat(given().get("/register").headers().getValues("Set-Cookie"))
                .filteredOn(c -> c.startsWith(TestPlayer.CSRF_COOKIE + "=")).singleElement()
                .satisfies(c -> assertThat(c).containsIgnoringCase("HttpOnly").contains("SameSite=Lax"));

        given().redirects().follow(false).header("Sec-Fetch-Site", "cross-site").formParam("j_username", player.email())
                .formParam("j_password", player.password()).post("/j_security_check")
                .then().statusCode(403).body(containsString("Log in from LivePet's own login page."));
        given().redirects().follow(false).header("Origin", "http://evil.example").formParam("j_username", player.email())
                .formParam("j_password", player.password()).post("/j_security_check")
                .then().statusCode(403);
    }

    @Test
    void aLoggedInPlayerIsSentFromTheLoginPageToMyPetsAndTheSettingsShowTheirAddress() {
        TestPlayer player = TestPlayer.register();
        player.http().get("/login").then().statusCode(303);
        player.http().get("/settings").then().statusCode(200)
                .body(containsString(player.email()), containsString("data-testid=\"email-unconfirmed\""));
        player.form().formParam("currentPassword", "wrong password!").formParam("newPassword", "a new long password")
                .post("/settings/password").then().statusCode(400)
                .body(containsString("Your current password is not right."));
        player.form().formParam("currentPassword", player.password()).formParam("newPassword", "short")
                .post("/settings/password").then().statusCode(400)
                .body(containsString("A password must be 12 to 72 characters long."));
        TestPlayer.logIn(player.email(), player.password());
    }

    /** The token of the newest mail to {@code to} whose subject has {@code subject}, as the mailbox page shows it. */
    private static String mailedToken(String to, String subject) {
        String link = TestPlayer.mailedLink(to, subject);
        assertThat(link).as("a mailed link to " + to).contains("/confirm-email?token=");
        return link.substring(link.indexOf("token=") + 6);
    }

    private static String single(String sql) throws SQLException {
        try (Connection db = connect(); PreparedStatement q = db.prepareStatement(sql); ResultSet r = q.executeQuery()) {
            assertThat(r.next()).as(sql).isTrue();
            return r.getString(1);
        }
    }

    private static void update(String sql) throws SQLException {
        try (Connection db = connect(); PreparedStatement q = db.prepareStatement(sql)) {
            assertThat(q.executeUpdate()).as(sql).isPositive();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(), LocalStackSettings.USER,
                LocalStackSettings.PASSWORD);
    }
}
