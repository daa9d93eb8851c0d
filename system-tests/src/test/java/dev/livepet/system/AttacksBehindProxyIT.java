package dev.livepet.system;

import dev.livepet.stack.LocalStackSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attacks SECURITY.md names, from outside, against the world as {@code ./livepet up} starts it (with the
 * production limits per client address, which the local world lifts), behind Debian's nginx forwarding each
 * client's address. Every client has an address of its own (127.0.0.x). Each attack counts what it sent and what
 * got through; the table goes to target/attack-report.md and RELIABILITY.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttacksBehindProxyIT {
    private static final String CSRF_COOKIE = "livepet-csrf";
    private static final String SESSION = "livepet-session";
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final int HONEST = 10;

    private final Map<String, String> report = new LinkedHashMap<>();
    private final List<Player> honest = new ArrayList<>();
    private RunningWorld world;
    private Nginx nginx;

    /** A player: their address, email and password, and the session and form token they have now. */
    record Player(ClientAt client, String email, String password, String session, String csrfCookie, String csrf) {
        Map<String, String> cookies() {
            return Map.of("Cookie", CSRF_COOKIE + "=" + csrfCookie + "; " + SESSION + "=" + session);
        }
    }

    @BeforeAll
    void aWorldBehindNginx() throws Exception {
        Path dir = Files.createTempDirectory("livepet-attacks");
        world = new RunningWorld(dir.resolve("data"), 100,
                "LIVEPET_VIEWER_ACCOUNTS_REGISTRATIONS_PER_ADDRESS=10",
                "LIVEPET_VIEWER_ACCOUNTS_RESET_REQUESTS_PER_ADDRESS=20");
        world.awaitUrl();
        nginx = new Nginx(dir.resolve("nginx"), world.httpPort);
        for (int i = 0; i < HONEST; i++) {
            honest.add(register(at("127.0.0." + (10 + i)), "honest-" + i + "-" + System.nanoTime() + "@example.com"));
        }
    }

    @AfterAll
    void stop() throws Exception {
        StringBuilder table = new StringBuilder("| attack | sent | got through |\n|---|---|---|\n");
        report.forEach((attack, figures) -> table.append("| ").append(attack).append(" | ").append(figures).append(" |\n"));
        System.out.println("AttacksBehindProxyIT, behind nginx " + Nginx.BINARY + ":\n" + table);
        Files.writeString(Path.of("target", "attack-report.md"), table.toString());
        if (nginx != null) {
            nginx.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aLoginFloodFromOneAddressLeavesHonestPlayersOnOthersLoggingIn() throws Exception {
        ClientAt flooder = at("127.0.0.66");
        int attempts = 200;
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger loggedIn = new AtomicInteger();
        AtomicInteger honestIn = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> flood = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                int n = i;
                flood.add(pool.submit(() -> {
                    // a forwarded address of its own choosing does not help: the proxy writes the real one
                    ClientAt.Answer answer = flooder.post("/j_security_check", Map.of("X-Forwarded-For",
                            "127.0.0." + (10 + n % HONEST)), form("j_username", "guess-" + n + "@example.com",
                            "j_password", "password-" + n));
                    String where = answer.header("Location").orElse("");
                    (where.contains("throttled") ? refused : where.contains("error") ? checked : loggedIn).incrementAndGet();
                    return null;
                }));
            }
            List<Future<Boolean>> logins = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (Player player : honest) {
                    logins.add(pool.submit(() -> logIn(player.client(), player.email(), player.password()) != null));
                }
            }
            for (Future<?> f : flood) {
                f.get();
            }
            for (Future<Boolean> login : logins) {
                if (login.get()) {
                    honestIn.incrementAndGet();
                }
            }
        } finally {
            pool.shutdown();
        }
        report.put("login flood from one address (" + attempts + " wrong passwords, 6 at once, spoofing other players'"
                        + " addresses in X-Forwarded-For)",
                attempts + " | " + loggedIn.get() + " logins; " + checked.get() + " password checks, then "
                        + refused.get() + " refused; honest players on 10 other addresses: " + honestIn.get() + " of "
                        + logins(3) + " logins (" + Math.round(100.0 * honestIn.get() / logins(3)) + " %)");
        assertThat(loggedIn.get()).isZero();
        assertThat(checked.get()).as("checked up to the address' limit").isLessThanOrEqualTo(60);
        assertThat(refused.get()).isEqualTo(attempts - checked.get());
        assertThat(honestIn.get()).as("every honest login").isEqualTo(logins(3));
    }

    @Test
    void aGigabyteSentInChunksIsCutOffLongBeforeItsEnd() throws Exception {
        long gigabyte = 1L << 30;
        int sent = 10;
        List<Integer> statuses = new ArrayList<>();
        long mostWritten = 0;
        // again and again: the answer must come back through the proxy every time, not only when the race is won
        for (int i = 0; i < sent; i++) {
            ClientAt.Streamed streamed = at("127.0.0.70").streamChunked("/forgot-password", Map.of(), gigabyte);
            statuses.add(streamed.answer().status());
            mostWritten = Math.max(mostWritten, streamed.bytesSent());
        }
        long through = statuses.stream().filter(status -> status != 413).count();
        report.put("a 1 GB form body sent in chunks, without a length", sent + " | " + through + ": answered "
                + statuses + ", at most " + mostWritten / (1 << 20) + " MiB of 1,024 written before the answer");
        assertThat(statuses).as("what the proxy passed on").containsOnly(413);
        assertThat(mostWritten).isLessThan(gigabyte / 4);
        // the viewer still serves
        assertThat(at("127.0.0.71").get("/login", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aForgedHostNeverReachesAMailedLink() throws Exception {
        Player victim = honest.get(0);
        ClientAt attacker = at("127.0.0.72");
        int sent = 3;
        for (int i = 0; i < sent; i++) {
            ClientAt.Answer asked = askForReset(attacker, victim.email(), Map.of("Host", "attacker.example",
                    "X-Forwarded-Host", "attacker.example", "Forwarded", "host=attacker.example;proto=https"));
            assertThat(asked.status()).as(asked.body()).isEqualTo(303);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> mails(victim.email(), "Reset").size() == sent);
        List<String> links = mails(victim.email(), "Reset");
        long poisoned = links.stream().filter(l -> l.contains("attacker.example")).count();
        report.put("forgot-password with a forged Host, X-Forwarded-Host and Forwarded", sent + " | " + poisoned
                + " mailed links to the attacker's host (" + links.size() + " links, each from the public URL)");
        assertThat(poisoned).isZero();
        assertThat(links).allSatisfy(l -> assertThat(l).startsWith("http://localhost:" + world.httpPort + "/"));
    }

    @Test
    void aWebSocketFromAnotherSiteIsRefused() throws Exception {
        ClientAt page = at("127.0.0.73");
        int sent = 10;
        int opened = 0;
        for (int i = 0; i < sent; i++) {
            if (page.get("/world/live", upgrade("https://evil.example")).status() == 101) {
                opened++;
            }
        }
        int sameSite = page.get("/world/live", upgrade("http://127.0.0.1:" + nginx.port)).status();
        report.put("WebSocket upgrades with another site's Origin", sent + " | " + opened + " opened (the same site's: "
                + sameSite + ")");
        assertThat(opened).isZero();
        assertThat(sameSite).as("the control: our own page's socket").isEqualTo(101);
    }

    @Test
    void aSessionCookieReusedAfterLogoutLogsNobodyIn() throws Exception {
        ClientAt browser = at("127.0.0.74");
        Player player = register(browser, "logout-" + System.nanoTime() + "@example.com");
        String copied = player.session(); // a thief's copy, taken before the logout
        ClientAt.Answer out = browser.post("/logout", player.cookies(), form("csrf-token", player.csrf()));
        assertThat(out.status()).isEqualTo(303);
        ClientAt thief = at("127.0.0.75");
        int sent = 10;
        int inside = 0;
        for (int i = 0; i < sent; i++) {
            if (thief.get("/pets", Map.of("Cookie", SESSION + "=" + copied)).status() == 200) {
                inside++;
            }
        }
        report.put("a session cookie copied before its logout, reused from another address", sent + " | " + inside);
        assertThat(inside).isZero();
    }

    @Test
    void probingWhichAddressesPlayLearnsNothingAndIsCutAtTenAnHour() throws Exception {
        ClientAt prober = at("127.0.0.80");
        int sent = 30;
        Set<String> answersForUnknown = new HashSet<>();
        List<String> answersForPlayers = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < sent; i++) {
            boolean plays = i % 2 == 0;
            String email = plays ? honest.get(i % HONEST).email() : "unknown-" + i + "-" + System.nanoTime() + "@example.com";
            ClientAt.Answer form = prober.get("/register", Map.of());
            String csrfCookie = form.cookie(CSRF_COOKIE).orElseThrow();
            ClientAt.Answer answer = prober.post("/register", Map.of("Cookie", CSRF_COOKIE + "=" + csrfCookie),
                    form("email", email, "password", "a long enough secret", "csrf-token", csrf(form.body())));
            if (answer.status() == 429) {
                refused++;
                continue;
            }
            // what the prober sees, the address it sent aside
            String seen = (answer.status() + " " + answer.header("Location").orElse("") + " "
                    + answer.cookie("livepet-flash").orElse("") + " " + answer.body())
                    .replace(email, "ADDRESS").replace(URLEncoder.encode(email, StandardCharsets.UTF_8), "ADDRESS");
            if (plays) {
                answersForPlayers.add(seen);
            } else {
                answersForUnknown.add(seen);
            }
        }
        long told = answersForPlayers.stream().filter(seen -> !answersForUnknown.contains(seen)).count();
        report.put("register as an address check (half the addresses play), from one address", sent + " | " + told
                + " answered unlike an unknown address (every answer: a link is on its way; an address that plays"
                + " gets a mail instead); " + refused + " refused with 429 past 10 sign-ups an hour");
        assertThat(sent - refused).as("answered at most the sign-ups an address gets an hour").isLessThanOrEqualTo(10);
        assertThat(answersForPlayers).as("some probes of playing addresses were answered").isNotEmpty();
        assertThat(told).isZero();
    }

    @Test
    void aMailFloodAtOnePlayerSendsThemThreeMailsAnHour() throws Exception {
        Player victim = honest.get(1);
        int sent = 50;
        for (int i = 0; i < sent; i++) {
            ClientAt.Answer asked = askForReset(at("127.0.0." + (100 + i % 5)), victim.email(), Map.of());
            assertThat(asked.status()).as("the same answer for every request: %s", asked.body()).isEqualTo(303);
        }
        // every request is counted before its mail goes out: once all 50 are, no more mail comes
        await().atMost(Duration.ofSeconds(60)).until(() -> resetMailsCounted(victim.email()) == sent);
        await().atMost(Duration.ofSeconds(30)).until(() -> mails(victim.email(), "Reset").size() >= 3);
        int mails = mails(victim.email(), "Reset").size();
        report.put("forgot-password at one player, from 5 addresses", sent + " | " + mails + " reset mails reached"
                + " the player");
        assertThat(mails).isEqualTo(3);
    }

    private ClientAt at(String address) {
        return new ClientAt(address, nginx.port);
    }

    private int logins(int rounds) {
        return rounds * HONEST;
    }

    private Player register(ClientAt client, String email) throws Exception {
        String password = "a long enough secret " + email.hashCode();
        ClientAt.Answer form = client.get("/register", Map.of());
        String csrfCookie = form.cookie(CSRF_COOKIE).orElseThrow();
        String csrf = csrf(form.body());
        ClientAt.Answer registered = client.post("/register", Map.of("Cookie", CSRF_COOKIE + "=" + csrfCookie),
                form("email", email, "password", password, "csrf-token", csrf));
        assertThat(registered.status()).as("registering %s: %s", email, registered.body()).isEqualTo(303);
        // the account is made after the answer, with its mail
        await().atMost(Duration.ofSeconds(30)).until(() -> !mails(email, "Confirm").isEmpty());
        String session = logIn(client, email, password);
        assertThat(session).as("%s logs in once signed up", email).isNotNull();
        return new Player(client, email, password, session, csrfCookie, csrf);
    }

    /** "Forgot password" as the page sends it: its form first (the CSRF cookie and token), then the post. */
    private static ClientAt.Answer askForReset(ClientAt client, String email, Map<String, String> headers)
            throws Exception {
        ClientAt.Answer page = client.get("/forgot-password", headers);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Cookie", CSRF_COOKIE + "=" + page.cookie(CSRF_COOKIE).orElseThrow());
        return client.post("/forgot-password", all, form("email", email, "csrf-token", csrf(page.body())));
    }

    /** The session cookie of a login, or null when it failed. */
    private static String logIn(ClientAt client, String email, String password) throws Exception {
        ClientAt.Answer answer = client.post("/j_security_check", Map.of(), form("j_username", email, "j_password", password));
        String where = answer.header("Location").orElse("");
        return where.contains("error") || where.contains("throttled") ? null : answer.cookie(SESSION).orElse(null);
    }

    /** The links of the mails to {@code to} whose subject has {@code subject}, as the local world's mailbox shows them. */
    private List<String> mails(String to, String subject) throws Exception {
        String page = at("127.0.0.90").get("/mailbox", Map.of()).body();
        Matcher mail = Pattern.compile("data-to=\"" + Pattern.quote(to) + "\">\\s*<h2>([^<]*)</h2>.*?href=\"([^\"]*)\"",
                Pattern.DOTALL).matcher(page);
        List<String> links = new ArrayList<>();
        while (mail.find()) {
            if (mail.group(1).contains(subject)) {
                links.add(mail.group(2));
            }
        }
        return links;
    }

    /** How many reset requests for this email the shared windows counted this hour (SHA-256 of its lower case). */
    private int resetMailsCounted(String email) throws Exception {
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(email.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        try (Connection db = DriverManager.getConnection(world.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement q = db.prepareStatement(
                     "SELECT used FROM player_rate_windows WHERE action = 'reset-email' AND player_id = ?")) {
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getInt(1) : 0;
            }
        }
    }

    private static Map<String, String> upgrade(String origin) {
        return Map.of("Connection", "Upgrade", "Upgrade", "websocket", "Sec-WebSocket-Version", "13",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Origin", origin);
    }

    private static String csrf(String page) {
        Matcher m = CSRF_INPUT.matcher(page);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return m.group(1);
    }

    private static String form(String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }
}
