package dev.livepet.system;

import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged services in production, on a running broker and PostgreSQL: the viewer started without what it must
 * not guess refuses to start and its log names what is missing; each service serves health and metrics only on its
 * management port, which no ingress exposes, never on the port players (or the ingress) reach.
 */
class ProductionSettingsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path home = Path.of(System.getProperty("livepet.home", "..")).toAbsolutePath().normalize();
    private final List<ServiceProcess> services = new ArrayList<>();
    private LocalStack stack;

    @AfterEach
    void stopAll() {
        services.forEach(ServiceProcess::stop);
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void withoutItsSecretsOrThePublicUrlAServiceDoesNotStartAndSaysWhatIsMissing() throws Exception {
        Path dir = Files.createTempDirectory("livepet-production-settings");
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir.resolve("data"), 6));
        Map<String, String> noPassword = new LinkedHashMap<>(stack.serviceEnvironment());
        assertThat(noPassword.remove("QUARKUS_DATASOURCE_PASSWORD")).isNotBlank();

        // the broker and the database's address given, no secret: each named before anything reaches PostgreSQL
        ServiceProcess viewer = start("viewer-service", noPassword, dir);
        await().atMost(PATIENCE).until(() -> !viewer.isAlive());
        assertThat(viewer.tail(200)).contains("The viewer refuses to start in production.",
                "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY is not set", "LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL is not set",
                "QUARKUS_DATASOURCE_PASSWORD is not set")
                .doesNotContain("Listening on:", "password authentication failed");
        ServiceProcess persistence = start("persistence-service", noPassword, dir);
        await().atMost(PATIENCE).until(() -> !persistence.isAlive());
        assertThat(persistence.tail(200)).contains("QUARKUS_DATASOURCE_PASSWORD")
                .doesNotContain("Listening on:", "password authentication failed");

        // a key too short and an address that is none are named too
        Map<String, String> wrong = new LinkedHashMap<>(stack.serviceEnvironment());
        wrong.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "k".repeat(15));
        wrong.put("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL", "livepet.example");
        ServiceProcess again = start("viewer-service", wrong, dir);
        await().atMost(PATIENCE).until(() -> !again.isAlive());
        assertThat(again.tail(200)).contains("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY has fewer than 16 characters",
                "LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL is “livepet.example”, not an address like https://livepet.example");
    }

    @Test
    void everyServiceServesHealthAndMetricsOnlyOnItsManagementPort() throws Exception {
        Path dir = Files.createTempDirectory("livepet-management-port");
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir.resolve("data"), 6));
        Map<String, String> env = new LinkedHashMap<>(stack.serviceEnvironment());
        env.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "a key for this test's viewer only");
        env.put("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL", "https://livepet.test");

        // persistence first: it migrates the schema the viewer reads
        ServiceProcess persistence = start("persistence-service", env, dir);
        SimulatorOwnershipIT.awaitReady(persistence);
        ServiceProcess simulator = start("simulator-service", env, dir);
        ServiceProcess viewer = start("viewer-service", env, dir);
        SimulatorOwnershipIT.awaitReady(simulator);
        SimulatorOwnershipIT.awaitReady(viewer);

        for (ServiceProcess s : List.of(persistence, simulator, viewer)) {
            String what = s.name() + " (log " + s.log() + ")";
            assertThat(s.managementPort()).as(what).isNotEqualTo(s.port());
            URI main = URI.create("http://127.0.0.1:" + s.port());
            for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/metrics")) {
                assertThat(status(main.resolve(path))).as("%s: %s on its main port", what, path).isEqualTo(404);
            }
            assertThat(status(s.management("/q/health/ready"))).as("%s: readiness on its management port", what)
                    .isEqualTo(200);
            assertThat(status(s.management("/q/health/live"))).as("%s: liveness on its management port", what)
                    .isEqualTo(200);
            String service = s.name().substring(0, s.name().indexOf('-'));
            assertThat(body(s.management("/q/metrics"))).as("%s: metrics on its management port", what)
                    .contains("livepet_" + service + "_");
        }
        assertThat(status(URI.create("http://127.0.0.1:" + viewer.port() + "/login"))).as("the viewer's pages")
                .isEqualTo(200);
        assertThat(status(viewer.management("/login"))).as("no page on the viewer's management port").isEqualTo(404);
    }

    private static int status(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String body(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s", uri).isEqualTo(200);
        return r.body();
    }

    private ServiceProcess start(String name, Map<String, String> env, Path dir) {
        int port = LocalStackSettings.freePort();
        ServiceProcess service = ServiceProcess.start(name, home, port, env, dir.resolve("logs-" + port),
                dir.resolve("pids-" + port));
        services.add(service);
        return service;
    }
}
