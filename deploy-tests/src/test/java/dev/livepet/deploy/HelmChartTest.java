package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import dev.livepet.contract.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
        assertThat(r.one(Secret.class, "livepet-db").getData()).containsKeys("username", "password");
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
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "livepet-kafka-bootstrap:9093")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://livepet-pg-rw:5432/livepet")
                .containsEntry("LIVEPET_VIEWER_PLAYER_COOKIE_SECURE", "true")
                .containsEntry("QUARKUS_REST_CSRF_COOKIE_NAME", "__Host-livepet-csrf");
        assertThat(r.one(Deployment.class, "livepet-persistence-service").getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void notesSayWhereTheWorldIsAndHowToWaitForIt() {
        String install = Chart.helm().install().withName(Chart.RELEASE).withNamespace("livepet")
                .withValuesFile(Checkout.path("helm/livepet/values-prod.yaml")).clientOnly().dryRun().call().getOutput();

        assertThat(install).contains("NOTES:")
                .contains("livepet-kafka-bootstrap:9093 (strimzi), pet-commands and pet-state with 240 partitions")
                .contains("deploy/livepet-persistence-service deploy/livepet-simulator-service deploy/livepet-viewer-service")
                .contains("Open https://livepet.example.com")
                .contains("on every pod's management port 9000");
    }

    @Test
    void theChartShipsNoSecretAndKeepsWhatItMadeOnUpgradeAndUninstall() {
        Rendered first = Chart.defaults();
        Secret db = first.one(Secret.class, "livepet-db");
        Secret viewer = first.one(Secret.class, "livepet-viewer");
        assertThat(decoded(db, "password")).as("no default password").hasSize(32).isNotEqualTo("livepet");
        assertThat(decoded(viewer, "session-key")).hasSize(48);
        for (Secret secret : new Secret[]{db, viewer}) {
            assertThat(secret.getMetadata().getAnnotations()).as(secret.getMetadata().getName())
                    .containsEntry("helm.sh/resource-policy", "keep");
        }

        // an upgrade: the cluster holds what the first install made, and Helm's lookup finds it
        FakeKubernetes.put("livepet", "livepet-db", Map.of("username", "livepet", "password", decoded(db, "password")));
        FakeKubernetes.put("livepet", "livepet-viewer", Map.of("session-key", decoded(viewer, "session-key")));
        try {
            Rendered upgrade = Chart.defaults();
            assertThat(decoded(upgrade.one(Secret.class, "livepet-db"), "password")).isEqualTo(decoded(db, "password"));
            assertThat(decoded(upgrade.one(Secret.class, "livepet-viewer"), "session-key"))
                    .as("players stay logged in across an upgrade").isEqualTo(decoded(viewer, "session-key"));
            assertThat(decoded(Chart.template("helm (a given password)", null, Map.of("postgresql.auth.password",
                    "given")).one(Secret.class, "livepet-db"), "password")).as("a given password wins").isEqualTo("given");
        } finally {
            FakeKubernetes.remove("livepet", "livepet-db");
            FakeKubernetes.remove("livepet", "livepet-viewer");
        }
        assertThat(decoded(Chart.defaults().one(Secret.class, "livepet-viewer"), "session-key"))
                .as("another first install draws another key").isNotEqualTo(decoded(viewer, "session-key"));
        String install = Chart.helm().install().withName(Chart.RELEASE).withNamespace("livepet").clientOnly().dryRun()
                .call().getOutput();
        assertThat(install).as("the NOTES say where the made password is")
                .contains("kubectl -n livepet get secret livepet-db -o jsonpath='{.data.password}' | base64 -d");
    }

    @Test
    void upgradesAndDrainsAreSafe() {
        Rendered prod = Chart.prod();

        assertThat(prod.custom("Kafka")).singleElement().satisfies(k -> {
            assertThat(Rendered.field(k, "spec.kafka.version")).as("pinned Kafka").isEqualTo("4.1.1");
            assertThat(Rendered.field(k, "spec.kafka.metadataVersion")).as("pinned metadata").isEqualTo("4.1-IV1");
        });
        // values-prod.yaml: 11 connections per viewer pod (at most 12), 10 per persistence pod (2), 20 spare
        assertThat(prod.custom("Cluster")).singleElement().satisfies(pg -> assertThat(Rendered.field(pg,
                "spec.postgresql.parameters.max_connections")).as("12 x 11 + 2 x 10 + 20").isEqualTo("172"));
        assertThat(prod.all(HorizontalPodAutoscaler.class)).filteredOn(h -> h.getMetadata().getName()
                .equals("livepet-simulator-service")).singleElement()
                .satisfies(h -> assertThat(h.getSpec().getMinReplicas()).as("a drain moves partitions").isGreaterThanOrEqualTo(2));
        assertThat(prod.all(PodDisruptionBudget.class)).hasSize(3);
        for (Deployment d : prod.all(Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            String name = d.getMetadata().getName();
            assertThat(pod.getTerminationGracePeriodSeconds()).as(name + ": grace beyond the pre-stop pause and the"
                    + " persistence flush (30 s)").isGreaterThan(5L + 30L);
            assertThat(pod.getContainers().get(0).getLifecycle().getPreStop().getExec().getCommand())
                    .as(name).containsExactly("sleep", "5");
            assertThat(pod.getTopologySpreadConstraints()).as(name).singleElement().satisfies(t -> {
                assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                assertThat(t.getLabelSelector().getMatchLabels())
                        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
            });
        }
        Rendered small = Chart.template("helm (fixed replicas)", "values-prod.yaml", Map.of(
                "viewer.autoscaling.enabled", false, "viewer.replicas", 3));
        assertThat(small.custom("Cluster")).singleElement().satisfies(pg -> assertThat(Rendered.field(pg,
                "spec.postgresql.parameters.max_connections")).as("3 x 11 + 2 x 10 + 20").isEqualTo("73"));
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
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
