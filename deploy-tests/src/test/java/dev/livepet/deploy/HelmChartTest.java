package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import dev.livepet.contract.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HelmChartTest {

    @Test
    void lintFindsNothing() {
        LintResult lint = Chart.helm().lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void defaultsTalkToAnExternalKafkaAndPostgresAndCreateTheTopics() {
        Rendered r = Chart.defaults();

        WorkloadRules.check(r, Chart.PREFIX, Set.of());
        assertThat(WorkloadRules.partitions(r)).isEqualTo(Topics.DEFAULT_PARTITIONS);
        assertThat(Chart.template("helm (values.yaml, hooks)", null, Map.of()).all(Job.class))
                .as("by default the Job is a Helm hook, run before the services start (not in helm-java's output)")
                .isEmpty();
        assertThat(r.all(Job.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .as("the Kafka image of docker-compose.yml").isEqualTo(Compose.load().image("kafka"));
        assertThat(r.custom("Kafka")).isEmpty();
        assertThat(r.custom("Cluster")).isEmpty();
        assertThat(r.one(Secret.class, "livepet-db").getStringData()).containsKeys("username", "password");
        assertThat(r.one(Secret.class, "livepet-viewer").getData()).as("the viewers' shared session key")
                .containsKeys("session-key");
        assertThat(r.one(ConfigMap.class, "livepet-config").getData())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://postgres:5432/livepet")
                .containsEntry("LIVEPET_SIMULATOR_SEED_PETS", "10000");
    }

    @Test
    void prodValuesUseTheOperators() {
        Rendered r = Chart.prod();

        WorkloadRules.check(r, Chart.PREFIX, Set.of("livepet-db", "livepet-viewer"));
        assertThat(r.all(Secret.class)).as("the credentials are an existing secret").isEmpty();
        assertThat(r.all(Job.class)).as("Strimzi's topic operator creates the topics").isEmpty();
        assertThat(WorkloadRules.partitions(r)).isEqualTo(Topics.DEFAULT_PARTITIONS);
        assertThat(r.custom("Kafka")).singleElement()
                .satisfies(k -> assertThat(k.getApiVersion()).isEqualTo("kafka.strimzi.io/v1"));
        assertThat(r.custom("KafkaNodePool")).hasSize(1);
        assertThat(r.custom("Cluster")).singleElement()
                .satisfies(pg -> assertThat(Rendered.field(pg, "spec.bootstrap.initdb.secret.name")).isEqualTo("livepet-db"));
        assertThat(r.one(ConfigMap.class, "livepet-config").getData())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "livepet-kafka-bootstrap:9092")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://livepet-pg-rw:5432/livepet")
                .containsEntry("LIVEPET_VIEWER_PLAYER_COOKIE_SECURE", "true");
        assertThat(r.one(Deployment.class, "livepet-persistence-service").getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void notesSayWhereTheWorldIsAndHowToWaitForIt() {
        String install = Chart.helm().install().withName(Chart.RELEASE).withNamespace("livepet")
                .withValuesFile(Checkout.path("helm/livepet/values-prod.yaml")).clientOnly().dryRun().call().getOutput();

        assertThat(install).contains("NOTES:")
                .contains("livepet-kafka-bootstrap:9092 (strimzi), pet-commands and pet-state with 240 partitions")
                .contains("deploy/livepet-persistence-service deploy/livepet-simulator-service deploy/livepet-viewer-service")
                .contains("Open https://livepet.example.com");
    }

    @Test
    void thePartitionsFollowTheValueEverywhere() {
        Rendered r = Chart.template("helm (partitions 60)", "values-prod.yaml",
                Map.of("kafka.topics.partitions", 60, "simulator.autoscaling.maxReplicas", 6));

        assertThat(WorkloadRules.partitions(r)).isEqualTo(60);
    }

    @Test
    void refusesFewerThanTenPartitionsPerSimulator() {
        assertThatThrownBy(() -> Chart.template("helm (too few partitions)", null,
                Map.of("kafka.topics.partitions", 12, "simulator.autoscaling.maxReplicas", 2)))
                .hasMessageContaining("must be at least 10 x the simulator's replicas");
    }

    @Test
    void refusesTheLatestTag() {
        assertThatThrownBy(() -> Chart.template("helm (latest)", null, Map.of("image.tag", "latest")))
                .hasMessageContaining("/image/tag");
    }
}
