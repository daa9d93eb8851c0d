package dev.livepet.bench;

import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A player of a benchmark, as a browser becomes one over plain HTTP: the viewer's register form (with its CSRF
 * cookie and token), then a login through Quarkus form authentication, which answers with the session cookie.
 *
 * @param id         the account id, which the viewer uses as the player's id (a pet's owner)
 * @param session    the value of the {@link #SESSION} cookie
 * @param csrfCookie the double-submit cookie the register page set; valid for the cookie's max age (12 h)
 * @param csrf       the token that goes with it: in every form, and as a header in htmx requests
 */
public record BenchPlayer(String email, String id, String session, String csrfCookie, String csrf) {
    /** Where the viewer's adopted pet ids begin (NewPetId.FIRST): above every seeded id. */
    public static final long ADOPTED_FROM = 1L << 32;
    public static final String SESSION = "livepet-session";
    private static final String CSRF_COOKIE = "livepet-csrf";
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    /** Registers a new player at the viewer on {@code viewerPort} and logs them in. */
    public static BenchPlayer register(HttpClient http, int viewerPort, LocalStack stack)
            throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + viewerPort;
        String email = "bench-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        String password = "a bench player's secret " + UUID.randomUUID().toString().substring(0, 8);

        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/register")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String csrfCookie = cookie(form, CSRF_COOKIE).orElseThrow(() -> problem("GET /register set no " + CSRF_COOKIE + " cookie", form));
        Matcher token = CSRF_INPUT.matcher(form.body());
        if (!token.find()) {
            throw problem("GET /register has no CSRF token in its form", form);
        }
        HttpResponse<String> registered = http.send(post(base + "/register", Map.of("email", email, "password", password,
                "csrf-token", token.group(1))).header("Cookie", CSRF_COOKIE + "=" + csrfCookie).build(),
                HttpResponse.BodyHandlers.ofString());
        if (registered.statusCode() != 303) {
            throw problem("registering " + email + " failed", registered);
        }
        // the viewer makes the account after its answer (which is the same for an address that plays already)
        String id = awaitAccount(stack, email);
        HttpResponse<String> login = http.send(post(base + "/j_security_check", Map.of("j_username", email,
                "j_password", password)).build(), HttpResponse.BodyHandlers.ofString());
        String location = login.headers().firstValue("Location").orElse("");
        Optional<String> session = cookie(login, SESSION);
        if (login.statusCode() != 302 || location.contains("error") || session.isEmpty()) {
            throw problem("logging in " + email + " failed (Location " + location + ")", login);
        }
        return new BenchPlayer(email, id, session.get(), csrfCookie, token.group(1));
    }

    /** {@code count} players registered and logged in one after the other, as their browsers would. */
    public static List<BenchPlayer> registerAll(int count, int viewerPort, LocalStack stack)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<BenchPlayer> registered = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            registered.add(register(http, viewerPort, stack));
        }
        return registered;
    }

    /**
     * Adopts pet {@code ids[i]} for {@code owners[i % owners.size()]}, as the viewer's adopt form does (an adopt
     * command keyed by the pet on pet-commands); returns once the broker has them all.
     */
    public static void adopt(LocalStack stack, long[] ids, List<BenchPlayer> owners) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5);
        Species[] species = Species.values();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < ids.length; i++) {
                AdoptCommand adoption = new AdoptCommand(UUID.randomUUID().toString(), ids[i],
                        owners.get(i % owners.size()).id(), "Bench pet " + (i + 1), species[i % species.length]);
                producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetPartitioner.key(ids[i]), PetJson.writeString(adoption)));
            }
            producer.flush();
        }
    }

    /** The Feed button of the pet's page as htmx sends it: an empty form post with the token in a header. */
    public HttpRequest feed(int viewerPort, long petId) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + viewerPort + "/pets/" + petId + "/feed"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("HX-Request", "true")
                .header("X-CSRF-TOKEN", csrf)
                .header("Cookie", cookieHeader() + "; " + CSRF_COOKIE + "=" + csrfCookie)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }

    /** The Cookie header a browser of this player sends. */
    public String cookieHeader() {
        return SESSION + "=" + session;
    }

    private static HttpRequest.Builder post(String url, Map<String, String> fields) {
        String body = new LinkedHashMap<>(fields).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static Optional<String> cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1).split(";", 2)[0])
                .filter(v -> !v.isBlank())
                .findFirst();
    }

    // the account id is not on any page; the viewer's accounts table holds it
    private static String awaitAccount(LocalStack stack, String email) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Optional<String> id = accountId(stack, email);
        while (id.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no account for " + email + " 30 s after registering");
            }
            Thread.sleep(50);
            id = accountId(stack, email);
        }
        return id.get();
    }

    private static Optional<String> accountId(LocalStack stack, String email) {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement q = db.prepareStatement("SELECT id FROM accounts WHERE lower(email) = lower(?)")) {
            q.setString(1, email);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(Long.toString(r.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the account id of " + email, e);
        }
    }

    private static IllegalStateException problem(String what, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        return new IllegalStateException(what + ": HTTP " + response.statusCode() + " "
                + body.substring(0, Math.min(300, body.length())));
    }
}
