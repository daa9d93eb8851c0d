package dev.livepet.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulators scaled by KEDA on their lag on pet-commands, as the simulator's own Kafka user, instead of by CPU. */
class KedaScalingTest {
    private static final Map<String, Object> KEDA = Map.of("simulator.keda.enabled", true,
            "simulator.autoscaling.enabled", false);

    @Test
    void onTheirLagAsTheSimulatorsOwnUserOverTlsWithoutTheCpuAutoscaler() {
        Rendered r = Chart.template("helm (prod, KEDA)", "values-prod.yaml", KEDA);
        WorkloadRules.check(r, Chart.PREFIX, Set.of("livepet-db", "livepet-viewer"));

        GenericKubernetesResource scaled = r.custom("ScaledObject").get(0);
        assertThat(r.custom("ScaledObject")).hasSize(1);
        assertThat(Rendered.field(scaled, "spec.scaleTargetRef.name")).isEqualTo("livepet-simulator-service");
        assertThat(Rendered.field(scaled, "spec.minReplicaCount")).isEqualTo(2);
        assertThat(Rendered.field(scaled, "spec.maxReplicaCount")).isEqualTo(4);
        @SuppressWarnings("unchecked")
        Map<String, Object> trigger = ((List<Map<String, Object>>) Rendered.field(scaled, "spec.triggers")).get(0);
        assertThat(trigger).containsEntry("type", "kafka")
                .containsEntry("authenticationRef", Map.of("name", "livepet-simulator-lag"));
        assertThat(trigger.get("metadata")).isEqualTo(Map.of("bootstrapServers", "livepet-kafka-bootstrap:9093",
                "consumerGroup", "livepet-simulator", "topic", "pet-commands", "lagThreshold", "1000",
                "tls", "enable", "sasl", "scram_sha512"));

        GenericKubernetesResource auth = r.custom("TriggerAuthentication").get(0);
        assertThat(Rendered.field(auth, "spec.secretTargetRef")).isEqualTo(List.of(
                Map.of("parameter", "username", "name", "livepet-simulator-lag", "key", "username"),
                Map.of("parameter", "password", "name", "livepet-simulator-service", "key", "password"),
                Map.of("parameter", "ca", "name", "livepet-cluster-ca-cert", "key", "ca.crt")));
        assertThat(r.one(Secret.class, "livepet-simulator-lag").getStringData())
                .containsEntry("username", "livepet-simulator-service");
        assertThat(r.custom("KafkaUser")).extracting(u -> u.getMetadata().getName()).contains("livepet-simulator-service");

        assertThat(r.all(HorizontalPodAutoscaler.class)).as("KEDA makes the simulators' autoscaler")
                .noneMatch(h -> h.getSpec().getScaleTargetRef().getName().equals("livepet-simulator-service"));
        assertThat(r.one(Deployment.class, "livepet-simulator-service").getSpec().getReplicas())
                .as("the replica count is KEDA's").isNull();
        // KEDA's operator reaches the brokers through the listener's NetworkPolicy
        assertThat(String.valueOf(Rendered.field(r.custom("Kafka").get(0), "spec.kafka.listeners")))
                .contains("namespaceSelector={matchLabels={kubernetes.io/metadata.name=keda}}");
    }

    @Test
    void offByDefaultOneAutoscalerAtATimeAndAtMostOneInstancePerTenPartitions() {
        assertThat(Chart.prod().custom("ScaledObject")).isEmpty();
        assertThatThrownBy(() -> Chart.template("helm (two autoscalers)", "values-prod.yaml",
                Map.of("simulator.keda.enabled", true)))
                .hasMessageContaining("one autoscaler per Deployment; turn the CPU one off");
        assertThatThrownBy(() -> Chart.template("helm (too many simulators)", "values-prod.yaml",
                Map.of("simulator.keda.enabled", true, "simulator.autoscaling.enabled", false,
                        "simulator.keda.maxReplicas", 30)))
                .hasMessageContaining("must be at least 10 x the simulator's replicas (30)");
    }
}
