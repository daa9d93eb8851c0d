package dev.livepet.viewer.accounts;

import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.RawSocket;
import dev.livepet.viewer.TestPlayer;
import dev.livepet.viewer.player.rules.SessionPrincipal;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * Ending sessions: a password change ends every other session of the account, a reset by the mailed link and
 * "log out everywhere" end all of them, logging out ends this one, and its lifetime ends each; a cookie copied before
 * (a thief's) is then refused and sent to log in, and the live sockets of ended sessions close.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class AccountSessionsTest {
    private static final String NEW_PASSWORD = "the password after the theft";

    @TestHTTPResource("/")
    URI base;

    @Test
    void changingThePasswordEndsEveryOtherSessionAndTheChangingBrowserGoesOnWithANewLastingCookie() {
        TestPlayer player = TestPlayer.register();
        Response login = given().redirects().follow(false).formParam("j_username", player.email())
                .formParam("j_password", player.password()).formParam("remember", "on").post("/j_security_check");
        String remembered = login.cookie(TestPlayer.SESSION);
        String copied = remembered; // what a thief took from this browser
        String otherBrowser = TestPlayer.logIn(player.email(), player.password());
        assertThat(pets(otherBrowser).statusCode()).isEqualTo(200);
        assertThat(pets(copied).statusCode()).isEqualTo(200);

        Response change = given().redirects().follow(false).cookie(TestPlayer.SESSION, remembered)
                .cookie(TestPlayer.CSRF_COOKIE, player.csrfCookie()).cookie("livepet-remember", "1")
                .formParam(TestPlayer.CSRF_FIELD, player.csrf()).formParam("currentPassword", player.password())
                .formParam("newPassword", NEW_PASSWORD).post("/settings/password");

        assertThat(change.statusCode()).isEqualTo(303);
        assertThat(change.header("Location")).endsWith("/settings");
        String fresh = change.cookie(TestPlayer.SESSION);
        assertThat(fresh).as("a new session cookie for the browser that changed it").isNotBlank().isNotEqualTo(copied);
        assertThat(change.headers().getValues("Set-Cookie")).filteredOn(c -> c.startsWith(TestPlayer.SESSION + "="))
                .singleElement().satisfies(c -> assertThat(c).containsIgnoringCase("HttpOnly").contains("SameSite=Lax")
                        .contains("Max-Age=" + Duration.ofDays(30).toSeconds()));
        given().redirects().follow(false).cookie(TestPlayer.SESSION, fresh).get("/settings").then().statusCode(200)
                .body(containsString(player.email()));
        assertThat(pets(fresh).statusCode()).isEqualTo(200);
        sentToLogIn(copied, "the cookie copied before the change");
        sentToLogIn(otherBrowser, "another browser's session");
        // the new password is the one that logs in
        assertThat(login(player.email(), player.password()).header("Location")).contains("/login?error");
        assertThat(pets(TestPlayer.logIn(player.email(), NEW_PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(pets(fresh).statusCode()).as("a later login ends nothing").isEqualTo(200);
    }

    @Test
    void resettingThePasswordByTheMailedLinkEndsEverySession() {
        TestPlayer player = TestPlayer.register();
        String otherBrowser = TestPlayer.logIn(player.email(), player.password());
        given().redirects().follow(false).cookie(TestPlayer.CSRF_COOKIE, player.csrfCookie())
                .formParam(TestPlayer.CSRF_FIELD, player.csrf()).formParam("email", player.email())
                .post("/forgot-password").then().statusCode(303);
        String link = TestPlayer.mailedLink(player.email(), "Reset");
        assertThat(pets(player.session()).statusCode()).as("a link asked for ends nothing yet").isEqualTo(200);

        given().redirects().follow(false).cookie(TestPlayer.CSRF_COOKIE, player.csrfCookie())
                .formParam(TestPlayer.CSRF_FIELD, player.csrf())
                .formParam("token", link.substring(link.indexOf("token=") + 6)).formParam("password", NEW_PASSWORD)
                .post("/reset-password").then().statusCode(303);

        sentToLogIn(player.session(), "the session of the browser that registered");
        sentToLogIn(otherBrowser, "another browser's session");
        assertThat(pets(TestPlayer.logIn(player.email(), NEW_PASSWORD)).statusCode()).isEqualTo(200);
    }

    @Test
    void logOutEverywhereNeedsTheFormsTokenAndEndsEverySessionThisOneToo() {
        TestPlayer player = TestPlayer.register();
        String otherBrowser = TestPlayer.logIn(player.email(), player.password());
        player.http().post("/settings/logout-everywhere").then().statusCode(400)
                .body(containsString("This form has expired or did not come from LivePet."));
        player.http().formParam(TestPlayer.CSRF_FIELD, "not-the-token").post("/settings/logout-everywhere")
                .then().statusCode(400);
        assertThat(pets(otherBrowser).statusCode()).as("a refused form ends nothing").isEqualTo(200);
        assertThat(player.http().get("/settings").asString()).contains("data-testid=\"logout-everywhere\"");

        Response out = player.form().post("/settings/logout-everywhere");

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.header("Location")).endsWith("/login");
        assertThat(out.headers().getValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(TestPlayer.SESSION + "=;").contains("Max-Age=0"));
        sentToLogIn(player.session(), "this browser's session, had it kept the cookie");
        sentToLogIn(otherBrowser, "another browser's session");
        assertThat(pets(TestPlayer.logIn(player.email(), player.password())).statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionCookieOfAnEarlierFormIsRefusedCleanlyAndTheBrowserLogsInAgain() throws Exception {
        TestPlayer player = TestPlayer.register();
        int generation = generation(player.id());
        String session = principalOf(player.session()).id();
        // the forged cookies are right when they name the current generation and a live session, so what is refused
        // is the form
        assertThat(pets(cookie(player.id() + "." + generation + "." + session)).statusCode()).isEqualTo(200);
        assertThat(pets(cookie(player.id() + "." + (generation + 1) + "." + session)).statusCode())
                .as("a generation the account never had").isEqualTo(302);
        assertThat(pets(cookie(player.id() + "." + generation + "." + SessionPrincipal.fresh(1, 0).id())).statusCode())
                .as("a session that never began").isEqualTo(302);
        sentToLogIn(cookie(player.id() + "." + generation), "a cookie of the form before sessions were rows");

        String earlier = cookie(player.id());
        sentToLogIn(earlier, "a cookie of the earliest form");
        for (String page : new String[]{"/login", "/", "/register"}) {
            Response visit = given().redirects().follow(false).cookie(TestPlayer.SESSION, earlier).get(page);
            assertThat(visit.statusCode()).as(page).isEqualTo(302);
            assertThat(visit.header("Location")).as(page).endsWith("/login");
        }
        // the browser drops the removed cookie and finds the login page, then logs in as ever
        given().get("/login").then().statusCode(200).body(containsString("data-testid=\"login-button\""));
        assertThat(pets(TestPlayer.logIn(player.email(), player.password())).statusCode()).isEqualTo(200);
    }

    @Test
    void theLiveSocketsOfEndedSessionsCloseToReconnectWithTheBrowsersCookieOfNowAndOtherPlayersStayLive()
            throws Exception {
        TestPlayer player = TestPlayer.register();
        TestPlayer bystander = TestPlayer.register();
        String otherBrowser = TestPlayer.logIn(player.email(), player.password());
        long pet = PetsTable.freshId();
        long bystandersPet = PetsTable.freshId();
        PetsTable.insert(pet, player.id(), "Watched", Species.CAT, 1, 250, true, 1);
        PetsTable.insert(bystandersPet, bystander.id(), "Elsewhere", Species.DOG, 1, 250, true, 1);
        try (RawSocket here = watch(pet, player.session()); RawSocket there = watch(pet, otherBrowser);
             RawSocket bystanders = watch(bystandersPet, bystander.session())) {
            String fresh = player.form().formParam("currentPassword", player.password())
                    .formParam("newPassword", NEW_PASSWORD).post("/settings/password").cookie(TestPlayer.SESSION);

            assertThat(closeCode(here)).as("this browser's socket, to reconnect with its new cookie").isEqualTo(1012);
            assertThat(closeCode(there)).as("another browser's socket").isEqualTo(1012);
            try (RawSocket again = RawSocket.open(base, "/pets/" + pet + "/live", TestPlayer.SESSION + "=" + fresh);
                 RawSocket stolen = RawSocket.open(base, "/pets/" + pet + "/live",
                         TestPlayer.SESSION + "=" + otherBrowser)) {
                assertThat(again.status()).isEqualTo(101);
                assertThat(stolen.status()).as("the ended session reconnecting").isEqualTo(302);
            }
            PetTopics.publish(new PetState(bystandersPet, bystander.id(), "Elsewhere", Species.DOG, 1, 150, true, 2,
                    Cause.FED, PetTopics.clockOf(bystandersPet), System.currentTimeMillis(), "a-meal"));
            RawSocket.Frame live = bystanders.next(30_000);
            assertThat(live).as("another player's socket still live").isNotNull();
            assertThat(live.text()).contains("version 2,");
        }
    }

    @Test
    void loggingOutEndsThisSessionOnEveryInstanceAndClosesItsSocketsWhileTheOthersGoOn() throws Exception {
        TestPlayer player = TestPlayer.register();
        String copied = player.session(); // what a thief took from this browser
        String otherBrowser = TestPlayer.logIn(player.email(), player.password());
        long pet = PetsTable.freshId();
        PetsTable.insert(pet, player.id(), "Watched", Species.CAT, 1, 250, true, 1);
        try (RawSocket tab = watch(pet, player.session()); RawSocket elsewhere = watch(pet, otherBrowser)) {
            Response out = player.form().post("/logout");

            assertThat(out.statusCode()).isEqualTo(303);
            assertThat(out.header("Location")).endsWith("/login");
            assertThat(closeCode(tab)).as("another tab of the logged out session").isEqualTo(1012);
            sentToLogIn(copied, "a copy of the logged out session's cookie");
            assertThat(pets(otherBrowser).statusCode()).as("another browser's session").isEqualTo(200);
            PetTopics.publish(new PetState(pet, player.id(), "Watched", Species.CAT, 1, 150, true, 2,
                    Cause.FED, PetTopics.clockOf(pet), System.currentTimeMillis(), "a-meal"));
            RawSocket.Frame live = elsewhere.next(30_000);
            assertThat(live).as("the other browser's socket still live").isNotNull();
        }

        // another instance logs the other browser out: this one hears it and refuses the cookie at once
        PetsTable.query(List.of(), "WITH gone AS (DELETE FROM account_sessions WHERE id = '"
                + PlayerSessions.stored(principalOf(otherBrowser)) + "' RETURNING id) SELECT pg_notify('"
                + PlayerSessions.CHANNEL + "', id) FROM gone");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> sentToLogIn(otherBrowser, "ended elsewhere"));
    }

    @Test
    void aSessionEndsWithItsLifetimeHoweverOftenItIsUsedAndARememberedOneLivesLonger() throws Exception {
        TestPlayer player = TestPlayer.register();
        Response remembered = given().redirects().follow(false).formParam("j_username", player.email())
                .formParam("j_password", player.password()).formParam("remember", "on").post("/j_security_check");
        String lasting = remembered.cookie(TestPlayer.SESSION);
        assertThat(hoursLeft(player.session())).isCloseTo(12, within(1L));
        assertThat(hoursLeft(lasting)).isCloseTo(30 * 24, within(1L));
        assertThat(pets(player.session()).statusCode()).isEqualTo(200);

        PetsTable.query(List.of(), "UPDATE account_sessions SET ends_at = now() - interval '1 second' WHERE id = '"
                + PlayerSessions.stored(principalOf(player.session())) + "' RETURNING id");

        // used all along, it still ends: at the latest when this instance asks again (session-check-interval)
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> sentToLogIn(player.session(), "past its lifetime"));
        assertThat(pets(lasting).statusCode()).as("the remembered session").isEqualTo(200);
    }

    private static long hoursLeft(String cookie) throws Exception {
        return Long.parseLong(PetsTable.query(List.of(), "SELECT floor(extract(epoch FROM ends_at - now()) / 3600)::bigint"
                + " FROM account_sessions WHERE id = '" + PlayerSessions.stored(principalOf(cookie)) + "'").get(0));
    }

    private RawSocket watch(long pet, String session) throws Exception {
        RawSocket socket = RawSocket.open(base, "/pets/" + pet + "/live", TestPlayer.SESSION + "=" + session);
        assertThat(socket.status()).isEqualTo(101);
        assertThat(socket.next(30_000)).as("the pet's card at once").isNotNull();
        return socket;
    }

    // the code of the close frame that comes, 0 when none comes
    private static int closeCode(RawSocket socket) throws Exception {
        for (RawSocket.Frame frame = socket.next(15_000); frame != null; frame = socket.next(15_000)) {
            if (frame.opcode() == RawSocket.CLOSE) {
                return frame.closeCode();
            }
        }
        return 0;
    }

    private static void sentToLogIn(String session, String which) {
        Response visit = pets(session);
        assertThat(visit.statusCode()).as(which).isEqualTo(302);
        assertThat(visit.header("Location")).as(which).endsWith("/login");
        assertThat(visit.headers().getValues("Set-Cookie")).as(which + ": its cookie is removed")
                .anySatisfy(c -> assertThat(c).startsWith(TestPlayer.SESSION + "=;").contains("Max-Age=0"));
    }

    private static Response pets(String session) {
        return given().redirects().follow(false).cookie(TestPlayer.SESSION, session).get("/pets");
    }

    private static Response login(String email, String password) {
        return given().redirects().follow(false).formParam("j_username", email).formParam("j_password", password)
                .post("/j_security_check");
    }

    private static int generation(String accountId) throws Exception {
        try (Connection db = DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(),
                LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement q = db.prepareStatement("SELECT session_generation FROM accounts WHERE id = ?")) {
            q.setLong(1, Long.parseLong(accountId));
            try (ResultSet r = q.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getInt(1);
            }
        }
    }

    // a session cookie as Quarkus form authentication writes it ("expiry:principal", AES-GCM with the session key)
    private static String cookie(String principal) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, sessionKey(), new GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal((System.currentTimeMillis() + Duration.ofDays(1).toMillis() + ":" + principal)
                .getBytes(StandardCharsets.UTF_8));
        ByteBuffer value = ByteBuffer.allocate(1 + iv.length + sealed.length).put((byte) iv.length).put(iv).put(sealed);
        return Base64.getEncoder().encodeToString(value.array());
    }

    // what a session cookie names, read as the viewer reads it
    private static SessionPrincipal principalOf(String cookie) throws Exception {
        ByteBuffer value = ByteBuffer.wrap(Base64.getDecoder().decode(cookie));
        byte[] iv = new byte[value.get()];
        value.get(iv);
        byte[] sealed = new byte[value.remaining()];
        value.get(sealed);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, sessionKey(), new GCMParameterSpec(128, iv));
        String opened = new String(cipher.doFinal(sealed), StandardCharsets.UTF_8);
        return SessionPrincipal.parse(opened.substring(opened.indexOf(':') + 1)).orElseThrow();
    }

    private static SecretKeySpec sessionKey() throws Exception {
        String key = ConfigProvider.getConfig().getValue("quarkus.http.auth.session.encryption-key", String.class);
        return new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)), "AES");
    }
}
