package dev.livepet.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livepet.contract.Topics;
import dev.livepet.stack.KafkaAcls;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The world on a broker with SCRAM-SHA-512 and ACLs (the local stack's secured option): each service connects as
 * its own user with exactly the ACLs of the one list (helm/livepet/files/kafka-acls.json, the chart's KafkaUsers'
 * too), the world ticks, a player's feed goes through the viewer to the simulator and PostgreSQL, the dashboard's
 * Admin client reads both groups; and the broker refuses what no ACL grants and whoever has no credential.
 */
class SecuredKafkaIT {
    private static final int PARTITIONS = 6;
    private static final int SEEDED = 60;
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final Pattern COMMAND_ID = Pattern.compile("name=\"commandId\" value=\"([^\"]+)\"");

    private final Path home = Path.of(System.getProperty("livepet.home", "..")).toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ServiceProcess> services = new ArrayList<>();
    private Path dir;
    private LocalStack stack;

    @AfterEach
    void stopAll() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void eachServiceAsItsOwnUserRunsTheWorldAndTheBrokerRefusesTheRest() throws Exception {
        long t0 = System.nanoTime();
        dir = Files.createTempDirectory("livepet-secured-kafka");
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir.resolve("data"), PARTITIONS).withKafkaScram());
        long stackMillis = millisSince(t0);
        int acls = KafkaAcls.rules().entrySet().stream()
                .mapToInt(e -> KafkaAcls.bindings(KafkaAcls.userOf(e.getKey()), e.getValue()).size()).sum();

        long t1 = System.nanoTime();
        ServiceProcess persistence = start("persistence-service", LocalStackSettings.freePort(), Map.of());
        SimulatorOwnershipIT.awaitReady(persistence);
        ServiceProcess simulator = start("simulator-service", LocalStackSettings.freePort(), Map.of(
                "LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(SEEDED), "LIVEPET_SIMULATOR_INSTANCE_ID", "secured"));
        int viewerPort = LocalStackSettings.freePort();
        ServiceProcess viewer = start("viewer-service", viewerPort, viewerEnv(viewerPort));
        SimulatorOwnershipIT.awaitReady(simulator);
        SimulatorOwnershipIT.awaitReady(viewer);
        long servicesMillis = millisSince(t1);
        String url = "http://127.0.0.1:" + viewerPort;

        // the world works: the seeded pets and every partition's clock reach PostgreSQL, and the clocks move on
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM pets") == SEEDED
                && count("SELECT count(*) FROM partition_clocks") == PARTITIONS);
        long firstTick = count("SELECT min(tick) FROM partition_clocks");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT min(tick) FROM partition_clocks") >= firstTick + 2);

        // the dashboard's Admin client, as the viewer's user: the simulator group's members, the persistence lag
        List<JsonNode> samples = new CopyOnWriteArrayList<>();
        WebSocket feed = http.newWebSocketBuilder().buildAsync(URI.create(url.replaceFirst("^http", "ws")
                + "/world/live"), new DashboardSamples(samples)).join();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(samples).isNotEmpty();
            JsonNode now = samples.get(samples.size() - 1);
            assertThat(now.get("owners")).hasSize(1);
            assertThat(now.get("owners").get(0).get("instance").asText()).isEqualTo("secured");
            assertThat(now.get("owners").get(0).get("partitions")).hasSize(PARTITIONS);
            assertThat(now.get("persistenceLag").isNull()).as("persistence lag known").isFalse();
        });
        feed.abort();

        // a player adopts and feeds through the viewer: its producer as its user, the simulator and PostgreSQL after
        Map<String, String> cookies = new HashMap<>();
        String email = "secured-" + System.nanoTime() + "@example.com";
        String password = "a long enough secret";
        String csrf = csrf(get(url + "/register", cookies));
        assertThat(post(url + "/register", cookies, "email", email, "password", password, "csrf-token", csrf).statusCode())
                .as("registered").isEqualTo(303);
        await().atMost(Duration.ofSeconds(30)).until(() -> logIn(url, cookies, email, password));
        String adoptPage = get(url + "/pets/new", cookies);
        HttpResponse<String> adopted = post(url + "/pets", cookies, "name", "Locksmith", "species", "cat",
                "commandId", find(COMMAND_ID, adoptPage), "csrf-token", csrf(adoptPage));
        assertThat(adopted.statusCode()).as("adopted: %s", adopted.body()).isEqualTo(303);
        long pet = Long.parseLong(adopted.headers().firstValue("Location").orElseThrow().replaceAll(".*/pets/", ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM pets WHERE id = " + pet) == 1);
        long fedAt = System.nanoTime();
        HttpResponse<String> fed = post(url + "/pets/" + pet + "/feed", cookies, "csrf-token", csrf);
        assertThat(fed.statusCode()).as("fed: %s", fed.body()).isEqualTo(303);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM pets WHERE id = " + pet
                + " AND cause = 'fed' AND version = 2") == 1);
        long feedMillis = millisSince(fedAt);

        // refused: the viewer's user may not write pet-state, the persistence service's may not send commands,
        // and a user the broker does not know does not get in
        Throwable viewerWritesState = produce(stack.kafkaServiceUserProperties("viewer-service"), Topics.PET_STATE);
        assertThat(viewerWritesState).as("the viewer's user writing pet-state").isInstanceOf(TopicAuthorizationException.class);
        Throwable persistenceSendsCommand = produce(stack.kafkaServiceUserProperties("persistence-service"), Topics.PET_COMMANDS);
        assertThat(persistenceSendsCommand).as("the persistence service's user sending a command")
                .isInstanceOf(TopicAuthorizationException.class);
        Throwable stranger;
        try (Admin admin = Admin.create(new HashMap<>(stack.kafkaClientProperties("stranger", "a guess")))) {
            stranger = cause(catchThrowable(() -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS)));
        }
        assertThat(stranger).as("a user the broker does not know").isInstanceOf(SaslAuthenticationException.class);
        Throwable viewerPasswordWrong;
        try (Admin admin = Admin.create(new HashMap<>(stack.kafkaClientProperties(KafkaAcls.userOf("viewer-service"),
                "not its password")))) {
            viewerPasswordWrong = cause(catchThrowable(() -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS)));
        }
        assertThat(viewerPasswordWrong).as("the viewer's user with a wrong password").isInstanceOf(SaslAuthenticationException.class);
        for (ServiceProcess s : services) {
            assertThat(Files.readString(s.log())).as("%s's log", s.name()).doesNotContain("AuthorizationException");
        }

        System.out.printf("SECURED KAFKA ▸ broker with SCRAM-SHA-512 and %d ACLs for 3 users up in %.1f s; services"
                        + " ready in %.1f s; %d seeded pets and %d partition clocks in PostgreSQL, clocks at tick %d;"
                        + " a feed through the viewer applied and written in %d ms; refused: viewer→%s %s,"
                        + " persistence→%s %s, stranger %s, viewer with a wrong password %s%n",
                acls, stackMillis / 1000.0, servicesMillis / 1000.0, SEEDED,
                count("SELECT count(*) FROM partition_clocks"), count("SELECT min(tick) FROM partition_clocks"),
                feedMillis, Topics.PET_STATE, viewerWritesState.getClass().getSimpleName(), Topics.PET_COMMANDS,
                persistenceSendsCommand.getClass().getSimpleName(), stranger.getClass().getSimpleName(),
                viewerPasswordWrong.getClass().getSimpleName());
    }

    private ServiceProcess start(String service, int port, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(stack.serviceEnvironment(service));
        env.put("LIVEPET_WORLD_TICK_INTERVAL", "1s");
        env.putAll(extra);
        ServiceProcess s = ServiceProcess.start(service, home, port, env, dir.resolve("logs"), dir.resolve("pids"));
        services.add(s);
        return s;
    }

    private static Map<String, String> viewerEnv(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "a session key for the secured world's one viewer");
        env.put("QUARKUS_MAILER_MOCK", "true");
        env.put("LIVEPET_VIEWER_ACCOUNTS_MAILBOX", "true");
        env.put("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL", "http://localhost:" + port);
        env.put("LIVEPET_VIEWER_DASHBOARD_SAMPLE_INTERVAL", "1s");
        env.put("LIVEPET_VIEWER_DASHBOARD_TOTALS_INTERVAL", "1s");
        return env;
    }

    /** What a producer with these settings is told when it sends one record to {@code topic}. */
    private static Throwable produce(Map<String, String> client, String topic) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            return cause(catchThrowable(() -> producer.send(new ProducerRecord<>(topic, "1", "{}")).get(30, TimeUnit.SECONDS)));
        }
    }

    private static Throwable cause(Throwable t) {
        return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    }

    private long count(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             Statement q = db.createStatement(); ResultSet r = q.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    // --- a player's browser, by hand: cookies kept, redirects not followed ---

    private boolean logIn(String url, Map<String, String> cookies, String email, String password) throws Exception {
        HttpResponse<String> r = post(url + "/j_security_check", cookies, "j_username", email, "j_password", password);
        String where = r.headers().firstValue("Location").orElse("");
        return cookies.containsKey("livepet-session") && !where.contains("error") && !where.contains("throttled");
    }

    private String get(String url, Map<String, String> cookies) throws Exception {
        HttpResponse<String> r = http.send(request(url, cookies).GET().build(), HttpResponse.BodyHandlers.ofString());
        keep(r, cookies);
        assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
        return r.body();
    }

    private HttpResponse<String> post(String url, Map<String, String> cookies, String... form) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < form.length; i += 2) {
            body.append(body.length() > 0 ? "&" : "").append(URLEncoder.encode(form[i], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = http.send(request(url, cookies).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        keep(r, cookies);
        return r;
    }

    private static HttpRequest.Builder request(String url, Map<String, String> cookies) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (!cookies.isEmpty()) {
            b.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        return b;
    }

    private static void keep(HttpResponse<String> r, Map<String, String> cookies) {
        for (String set : r.headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
    }

    private static String csrf(String page) {
        return find(CSRF, page);
    }

    private static String find(Pattern pattern, String page) {
        Matcher m = pattern.matcher(page);
        assertThat(m.find()).as("%s in the page", pattern).isTrue();
        return m.group(1);
    }
}
