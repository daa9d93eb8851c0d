package dev.livepet.viewer;

import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.LocalStackTestResource;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A player as a browser is one, over plain HTTP: signed up through the register form, logged in through Quarkus
 * form authentication, with the session and CSRF cookies and the CSRF token that the pages carry.
 */
public record TestPlayer(String email, String password, String id, String session, String csrfCookie, String csrf) {
    public static final String SESSION = "livepet-session";
    public static final String CSRF_COOKIE = "livepet-csrf";
    public static final String CSRF_FIELD = "csrf-token";
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    public static TestPlayer register() {
        String email = "player-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        String password = "a long enough secret " + UUID.randomUUID().toString().substring(0, 4);
        Response form = given().get("/register");
        String csrfCookie = form.cookie(CSRF_COOKIE);
        String csrf = csrfIn(form.asString());
        given().redirects().follow(false).cookie(CSRF_COOKIE, csrfCookie)
                .formParam("email", email).formParam("password", password).formParam(CSRF_FIELD, csrf)
                .post("/register").then().statusCode(303);
        // the account is made after the answer (which is the same whether or not the address plays already)
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> id[0] = accountId(email));
        return new TestPlayer(email, password, id[0], logIn(email, password), csrfCookie, csrf);
    }

    /** The session cookie after a login through /j_security_check; fails when the login failed. */
    public static String logIn(String email, String password) {
        Response login = given().redirects().follow(false).formParam("j_username", email)
                .formParam("j_password", password).post("/j_security_check");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.header("Location")).doesNotContain("error");
        String session = login.cookie(SESSION);
        assertThat(session).as("session cookie").isNotBlank();
        return session;
    }

    /** A request of this player: session and CSRF cookies; redirects are not followed. */
    public RequestSpecification http() {
        return given().redirects().follow(false).cookie(SESSION, session).cookie(CSRF_COOKIE, csrfCookie);
    }

    /** A form post of this player, with the CSRF token as our pages put it in every form. */
    public RequestSpecification form() {
        return http().formParam(CSRF_FIELD, csrf);
    }

    /** An htmx post of this player: htmx sends the token in a header (the layout's hx-headers). */
    public RequestSpecification htmx() {
        return http().header("HX-Request", "true").header("X-CSRF-TOKEN", csrf);
    }

    public static String csrfIn(String page) {
        Matcher m = CSRF_INPUT.matcher(page);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return m.group(1);
    }

    public static String accountId(String email) {
        try (Connection db = DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(),
                LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement q = db.prepareStatement("SELECT id FROM accounts WHERE lower(email) = lower(?)")) {
            q.setString(1, email);
            try (ResultSet r = q.executeQuery()) {
                assertThat(r.next()).as("an account for " + email).isTrue();
                return Long.toString(r.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The link of the newest mail to {@code to} whose subject has {@code subject}, once the mailbox page shows it: a
     * reset mail is sent after the answer (which takes as long whether or not the account exists).
     */
    public static String mailedLink(String to, String subject) {
        // until the mail is there, the path finds nothing and says so with an exception
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> given().get("/mailbox").then()
                .statusCode(200)
                .extract().htmlPath().getString("**.find { it.@'data-to' == '" + to + "' && it.h2.text().contains('"
                        + subject + "') }.p.a.@href"), link -> link != null && !link.isEmpty());
    }
}
