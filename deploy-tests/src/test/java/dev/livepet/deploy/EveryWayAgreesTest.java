package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepet.contract.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docker compose, the kustomize overlays and the Helm chart deploy the same world the same way. */
class EveryWayAgreesTest {
    /** Settings only a world served over HTTPS has (docs/operations.md; the chart's configmap.yaml). */
    private static final Set<String> HTTPS_ONLY = Set.of("QUARKUS_REST_CSRF_COOKIE_NAME", "QUARKUS_REST_CSRF_COOKIE_FORCE_SECURE");
    /**
     * Settings only a world on a secured Kafka has (the Strimzi ways: TLS and SCRAM, each service as its own user;
     * compose keeps a plaintext broker on 127.0.0.1, docs/operations.md "A secured Kafka"), all or none.
     */
    private static final Set<String> SECURED_KAFKA_ONLY = Set.of("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM",
            "KAFKA_SASL_JAAS_CONFIG", "KAFKA_SSL_TRUSTSTORE_TYPE", "KAFKA_SSL_TRUSTSTORE_LOCATION");
    private final Compose compose = Compose.load();
    private final Map<String, Rendered> kubernetes = new LinkedHashMap<>();
    private final Map<String, String> prefixes = new LinkedHashMap<>();

    EveryWayAgreesTest() {
        add(Kustomize.build("k8s/overlays/dev"), "");
        add(Kustomize.build("k8s/overlays/prod"), "");
        add(Chart.defaults(), Chart.PREFIX);
        add(Chart.prod(), Chart.PREFIX);
    }

    private void add(Rendered r, String prefix) {
        kubernetes.put(r.source(), r);
        prefixes.put(r.source(), prefix);
    }

    @Test
    void bothPetTopicsHaveTheContractsPartitionCount() {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        partitions.put("docker-compose.yml", Integer.parseInt(compose.environment("kafka-topics").get("PARTITIONS")));
        kubernetes.forEach((source, r) -> partitions.put(source, WorkloadRules.partitions(r)));

        assertThat(partitions).hasSize(5).allSatisfy((source, p) -> assertThat(p).as(source).isEqualTo(Topics.DEFAULT_PARTITIONS));
    }

    @Test
    void theSameServicesWithTheSameImagesAndPorts() {
        kubernetes.forEach((source, r) -> {
            String prefix = prefixes.get(source);
            assertThat(r.all(Deployment.class)).as(source).extracting(d -> d.getMetadata().getName().substring(prefix.length()))
                    .containsExactlyInAnyOrderElementsOf(Checkout.SERVICES);
            for (String service : Checkout.SERVICES) {
                Container c = container(r, prefix + service);
                assertThat(c.getImage()).as("%s %s", source, service).isEqualTo(compose.image(service));
                assertThat(c.getPorts().get(0).getContainerPort() + ":" + c.getPorts().get(0).getContainerPort())
                        .as("%s %s", source, service).isEqualTo(compose.ports(service).get(0).replaceFirst("^127\\.0\\.0\\.1:", ""));
            }
        });
    }

    @Test
    void theSameSettings() {
        kubernetes.forEach((source, r) -> {
            for (String service : Checkout.SERVICES) {
                Set<String> inCompose = new TreeSet<>(compose.environment(service).keySet());
                Map<String, String> env = WorkloadRules.env(r, container(r, prefixes.get(source) + service));
                Set<String> inKubernetes = new TreeSet<>(env.keySet());
                if ("true".equals(env.get("LIVEPET_VIEWER_PLAYER_COOKIE_SECURE"))) {
                    // served over HTTPS (compose is plain HTTP): the CSRF cookie becomes a __Host- one
                    assertThat(inKubernetes).as("%s %s: HTTPS settings", source, service).containsAll(HTTPS_ONLY);
                    inKubernetes.removeAll(HTTPS_ONLY);
                }
                if (env.containsKey("KAFKA_SECURITY_PROTOCOL")) {
                    assertThat(inKubernetes).as("%s %s: secured Kafka settings", source, service).containsAll(SECURED_KAFKA_ONLY);
                    inKubernetes.removeAll(SECURED_KAFKA_ONLY);
                }
                if (service.equals("simulator-service")) {
                    // least privilege: the simulator never talks to PostgreSQL, so it gets no credentials
                    inCompose.removeAll(Set.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"));
                } else {
                    // the pod's name, only the simulator needs it
                    inCompose.remove("LIVEPET_SIMULATOR_INSTANCE_ID");
                }
                assertThat(inKubernetes).as("%s %s", source, service).isEqualTo(inCompose);
            }
        });
        for (String devLike : Set.of("k8s/overlays/dev", "helm (values.yaml)")) {
            Rendered r = kubernetes.get(devLike);
            assertThat(WorkloadRules.env(r, container(r, prefixes.get(devLike) + "simulator-service")))
                    .as(devLike).containsEntry("LIVEPET_SIMULATOR_SEED_PETS",
                            compose.environment("simulator-service").get("LIVEPET_SIMULATOR_SEED_PETS"));
        }
    }

    private static Container container(Rendered r, String deployment) {
        return r.one(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
