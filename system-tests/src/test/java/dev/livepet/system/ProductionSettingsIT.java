package dev.livepet.system;

import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
 * The packaged viewer in production, on a running broker and PostgreSQL, started without what it must not guess:
 * it refuses to start and its log names what is missing.
 */
class ProductionSettingsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
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

    private ServiceProcess start(String name, Map<String, String> env, Path dir) {
        int port = LocalStackSettings.freePort();
        ServiceProcess service = ServiceProcess.start(name, home, port, env, dir.resolve("logs-" + port),
                dir.resolve("pids-" + port));
        services.add(service);
        return service;
    }
}
