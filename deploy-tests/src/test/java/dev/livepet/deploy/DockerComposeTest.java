package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepet.contract.Topics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerComposeTest {
    private final Compose compose = Compose.load();

    @Test
    void runsKafkaPostgresTheTopicsAndTheThreeServices() {
        assertThat(compose.services()).containsOnlyKeys("kafka", "kafka-topics", "postgres",
                "persistence-service", "simulator-service", "viewer-service");
        compose.services().keySet().forEach(name -> assertThat(compose.image(name)).as("%s image pinned", name)
                .matches(".+:[0-9][A-Za-z0-9_.-]*$"));
        assertThat(compose.image("kafka")).startsWith("apache/kafka:4.1.");
        assertThat(compose.image("kafka-topics")).isEqualTo(compose.image("kafka"));
        assertThat(compose.image("postgres")).startsWith("postgres:18");
    }

    @Test
    void eachServiceIsBuiltFromItsDockerfileAndServesOnItsOwnPort() {
        for (String service : Checkout.SERVICES) {
            @SuppressWarnings("unchecked")
            Map<String, String> build = (Map<String, String>) compose.service(service).get("build");
            assertThat(build).containsEntry("context", service).containsEntry("dockerfile", "src/main/docker/Dockerfile.jvm");
            assertThat(compose.image(service)).isEqualTo(Checkout.image(service));
            int port = Checkout.httpPort(service);
            int management = Checkout.managementPort(service);
            assertThat(management).as("%s: quarkus.management.enabled", service).isPositive();
            // published on this machine only: a laptop's world is not for its network; the management port not at all
            assertThat(compose.ports(service)).containsExactly("127.0.0.1:" + port + ":" + port);

            String dockerfile = Checkout.read(service + "/src/main/docker/Dockerfile.jvm");
            assertThat(dockerfile)
                    .contains("FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:")
                    .contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/")
                    .contains("USER 185")
                    .contains("EXPOSE " + port + " " + management)
                    // readiness is asked on the management port: the main one answers 404 for /q/*
                    .containsPattern("HEALTHCHECK [^\\n]*\\\\\\n[^\\n]*/dev/tcp/127\\.0\\.0\\.1/\\$\\{QUARKUS_MANAGEMENT_PORT:-"
                            + management + "}")
                    .contains("GET /q/health/ready");
            assertThat(dockerfile).as("the Jib base image and the Dockerfile's agree")
                    .contains("FROM " + Checkout.applicationProperties(service).getProperty("quarkus.jib.base-jvm-image") + "\n");
        }
        assertThat(compose.ports("viewer-service")).containsExactly("127.0.0.1:8080:8080");
        for (String infrastructure : List.of("kafka", "postgres")) {
            assertThat(compose.ports(infrastructure)).as(infrastructure).allMatch(p -> p.startsWith("127.0.0.1:"));
        }
    }

    @Test
    void passesWhatLivepetUpPasses() {
        // local-stack World.serviceEnv(): the stack's properties as environment variables, and the seeded pets
        List<String> fromWorld = List.of("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_DATASOURCE_JDBC_URL",
                "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                "LIVEPET_SIMULATOR_SEED_PETS");
        for (String service : Checkout.SERVICES) {
            assertThat(compose.environment(service)).as(service).containsKeys(fromWorld.toArray(String[]::new))
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:19092")
                    .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://postgres:5432/livepet")
                    .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://postgres:5432/livepet")
                    .containsEntry("LIVEPET_SIMULATOR_SEED_PETS", "10000");
        }
        Map<String, String> postgres = compose.environment("postgres");
        Map<String, String> services = compose.environment("persistence-service");
        assertThat(services).containsEntry("QUARKUS_DATASOURCE_USERNAME", postgres.get("POSTGRES_USER"))
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", postgres.get("POSTGRES_PASSWORD"));
        assertThat(compose.environment("simulator-service")).containsKey("LIVEPET_SIMULATOR_INSTANCE_ID");
    }

    @Test
    void startsEachPartOnceWhatItNeedsIsHealthy() {
        assertThat(compose.dependsOn("kafka-topics")).containsExactlyEntriesOf(Map.of("kafka", "service_healthy"));
        assertThat(compose.dependsOn("persistence-service")).containsOnly(
                Map.entry("kafka-topics", "service_completed_successfully"), Map.entry("postgres", "service_healthy"));
        assertThat(compose.dependsOn("simulator-service"))
                .containsEntry("kafka-topics", "service_completed_successfully");
        assertThat(compose.dependsOn("viewer-service")).as("the viewer reads the schema persistence migrates")
                .containsEntry("kafka-topics", "service_completed_successfully")
                .containsEntry("persistence-service", "service_healthy");
        for (String withHealthcheck : List.of("kafka", "postgres")) {
            assertThat(compose.service(withHealthcheck)).as(withHealthcheck).containsKey("healthcheck");
        }
        for (String service : Checkout.SERVICES) {
            assertThat(String.valueOf(compose.service(service).get("healthcheck"))).as("%s is healthy when ready", service)
                    .contains("/dev/tcp/127.0.0.1/" + Checkout.managementPort(service) + " ")
                    .contains("GET /q/health/ready");
        }
    }

    @Test
    void createsTheContractsTopics() {
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) compose.service("kafka-topics").get("command");
        TopicNames.assertCreatesTopics("docker-compose.yml", String.join("\n", command));
        assertThat(Integer.parseInt(compose.environment("kafka-topics").get("PARTITIONS")))
                .isEqualTo(Topics.DEFAULT_PARTITIONS);
        assertThat(compose.service("kafka-topics")).containsEntry("restart", "no");
    }

    @Test
    void keepsDataInVolumesWherePostgres18AndKafkaExpectIt() {
        assertThat(compose.service("postgres").get("volumes").toString()).contains("postgres-data:/var/lib/postgresql]");
        assertThat(compose.service("kafka").get("volumes").toString()).contains("kafka-data:/var/lib/kafka/data]");
        assertThat(compose.environment("kafka")).containsEntry("KAFKA_LOG_DIRS", "/var/lib/kafka/data")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_ADVERTISED_LISTENERS", "INTERNAL://kafka:19092,HOST://localhost:9092");
    }
}
