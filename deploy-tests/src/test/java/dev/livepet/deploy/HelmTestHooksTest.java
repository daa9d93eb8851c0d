package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code helm test}: the viewer answers, and both pet topics have the world's partition count. */
class HelmTestHooksTest {

    @Test
    void theTestPodsAreTestHooksThatNeverRunOnInstall() {
        Rendered r = Chart.withHooks("helm (values.yaml, with hooks)", null, Map.of());

        WorkloadRules.check(r, Chart.PREFIX, Set.of());
        assertThat(r.all(Pod.class)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("livepet-test-viewer-answers", "livepet-test-topic-partitions");
        assertThat(r.all(Pod.class)).allSatisfy(p -> {
            assertThat(p.getMetadata().getAnnotations()).as("helm.sh/hook").containsEntry(Chart.HOOK, "test");
            assertThat(p.getSpec().getRestartPolicy()).isEqualTo("Never");
        });
        assertThat(Chart.defaults().all(Pod.class)).as("hooks, so not among the release's objects").isEmpty();
    }

    @Test
    void theViewerCheckAsksItsServiceForTheLoginPage() {
        Rendered r = Chart.withHooks("helm (values.yaml, with hooks)", null, Map.of());

        Container c = r.one(Pod.class, "livepet-test-viewer-answers").getSpec().getContainers().get(0);
        assertThat(env(c)).containsEntry("URL", "http://livepet-viewer-service:" + Checkout.httpPort("viewer-service")
                + "/login");
        assertThat(c.getImage()).isEqualTo("busybox:1.37.0");
        assertThat(String.join("\n", c.getCommand())).contains("[ \"$status\" = 200 ]");
    }

    @Test
    void theTopicsCheckWantsTheWorldsPartitionCountOfBothPetTopics() {
        for (String valuesFile : new String[]{null, "values-prod.yaml"}) {
            Rendered r = Chart.withHooks("helm (" + valuesFile + ", with hooks)", valuesFile,
                    Map.of("kafka.topics.partitions", 60, "simulator.autoscaling.maxReplicas", 6));

            WorkloadRules.check(r, Chart.PREFIX, valuesFile == null ? Set.of() : Set.of("livepet-db", "livepet-viewer"));
            Container c = r.one(Pod.class, "livepet-test-topic-partitions").getSpec().getContainers().get(0);
            String bootstrap = WorkloadRules.env(r, r.one(io.fabric8.kubernetes.api.model.apps.Deployment.class,
                    "livepet-viewer-service").getSpec().getTemplate().getSpec().getContainers().get(0))
                    .get("KAFKA_BOOTSTRAP_SERVERS");
            assertThat(env(c)).as(r.source()).containsEntry("PARTITIONS", "60").containsEntry("BOOTSTRAP", bootstrap);
            assertThat(c.getImage()).as("the topics Job's Kafka image").isEqualTo(Compose.load().image("kafka"));
            assertThat(String.join("\n", c.getCommand())).contains("for topic in pet-commands pet-state;")
                    .contains("kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --describe --topic \"$topic\"");
        }
    }

    private static Map<String, String> env(Container c) {
        return c.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
