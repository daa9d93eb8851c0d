package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepet.contract.Topics;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KustomizeOverlaysTest {

    @Test
    void devRunsTheWholeWorldInOneNamespace() {
        Rendered dev = Kustomize.build("k8s/overlays/dev");

        WorkloadRules.check(dev, "", Set.of());
        assertThat(dev.objects()).allSatisfy(o -> {
            if (!(o instanceof Namespace)) {
                assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo("livepet-dev");
            }
        });
        assertThat(dev.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("kafka", "postgres");
        assertThat(dev.all(Secret.class)).hasSize(2)
                .anySatisfy(s -> {
                    assertThat(s.getMetadata().getName()).startsWith("livepet-db");
                    assertThat(s.getData()).containsKeys("username", "password");
                })
                .anySatisfy(s -> {
                    assertThat(s.getMetadata().getName()).startsWith("livepet-viewer");
                    assertThat(s.getData()).containsKeys("session-key");
                });
        assertThat(WorkloadRules.partitions(dev)).isEqualTo(Topics.DEFAULT_PARTITIONS);
        assertThat(dev.one(StatefulSet.class, "postgres").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getVolumeMounts()).as("PostgreSQL 18 images keep their data below /var/lib/postgresql")
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/postgresql"));
        Compose compose = Compose.load();
        assertThat(image(dev.one(StatefulSet.class, "kafka"))).as("the Kafka of docker-compose.yml")
                .isEqualTo(compose.image("kafka"));
        assertThat(image(dev.one(StatefulSet.class, "postgres"))).as("the PostgreSQL of docker-compose.yml")
                .isEqualTo(compose.image("postgres"));
    }

    private static String image(StatefulSet s) {
        return s.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void prodUsesTheOperatorsAndKeepsNoCredentials() {
        Rendered prod = Kustomize.build("k8s/overlays/prod");

        WorkloadRules.check(prod, "", Set.of("livepet-db", "livepet-viewer"));
        assertThat(prod.all(StatefulSet.class)).as("Kafka and PostgreSQL belong to their operators").isEmpty();
        assertThat(prod.all(Secret.class)).as("no credentials in git").isEmpty();
        assertThat(WorkloadRules.partitions(prod)).isEqualTo(Topics.DEFAULT_PARTITIONS);

        GenericKubernetesResource kafka = prod.custom("Kafka").get(0);
        assertThat(kafka.getApiVersion()).isEqualTo("kafka.strimzi.io/v1");
        assertThat(prod.custom("KafkaNodePool")).singleElement().satisfies(pool -> {
            assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            assertThat(Rendered.field(pool, "spec.roles")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                    .containsExactlyInAnyOrder("controller", "broker");
        });
        assertThat(prod.custom("KafkaTopic")).allSatisfy(t -> assertThat(t.getMetadata().getLabels())
                .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName()));
        assertThat(Rendered.field(kafka, "spec.kafka.config.[transaction.state.log.min.isr]"))
                .as("the simulator's transactions survive one node down").isEqualTo(2);

        GenericKubernetesResource pg = prod.custom("Cluster").get(0);
        assertThat(pg.getApiVersion()).isEqualTo("postgresql.cnpg.io/v1");
        assertThat(Rendered.field(pg, "spec.bootstrap.initdb.secret.name")).isEqualTo("livepet-db");
        assertThat((String) Rendered.field(pg, "spec.imageName")).matches(".+:18\\.\\d+.*");

        assertThat(Rendered.field(pg, "spec.postgresql.synchronous")).as("a commit waits for a standby")
                .isEqualTo(java.util.Map.of("method", "any", "number", 1, "dataDurability", "required"));

        var config = WorkloadRules.env(prod, prod.one(io.fabric8.kubernetes.api.model.apps.Deployment.class,
                "viewer-service").getSpec().getTemplate().getSpec().getContainers().get(0));
        assertThat(config)
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", kafka.getMetadata().getName() + "-kafka-bootstrap:" + SecuredKafkaTest.PORT)
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + pg.getMetadata().getName() + "-rw:5432/livepet")
                .containsEntry("LIVEPET_VIEWER_PLAYER_COOKIE_SECURE", "true")
                .containsEntry("QUARKUS_REST_CSRF_COOKIE_NAME", "__Host-livepet-csrf");
    }

    @Test
    void prodLeavesTheNamespaceAlone() {
        Rendered prod = Kustomize.build("k8s/overlays/prod");

        assertThat(prod.all(Namespace.class)).as("`kubectl delete -k` must not delete the namespace, and all in it").isEmpty();
        assertThat(prod.objects()).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind())
                .isEqualTo("livepet"));
        assertThat(Checkout.read("docs/operations.md")).contains("kubectl create namespace livepet");
        assertThat(Kustomize.build("k8s/overlays/dev").all(Namespace.class)).as("dev is thrown away whole")
                .hasSize(1);
    }

    @Test
    void prodBacksUpAsTheChartDoes() {
        Rendered prod = Kustomize.build("k8s/overlays/prod");
        Rendered chart = Chart.prod();

        GenericKubernetesResource pg = prod.custom("Cluster").get(0);
        GenericKubernetesResource store = prod.custom("ObjectStore").get(0);
        GenericKubernetesResource schedule = prod.custom("ScheduledBackup").get(0);
        assertThat(Rendered.field(pg, "spec.plugins")).isEqualTo(java.util.List.of(java.util.Map.of(
                "name", "barman-cloud.cloudnative-pg.io", "isWALArchiver", true,
                "parameters", java.util.Map.of("barmanObjectName", store.getMetadata().getName()))));
        assertThat(Rendered.field(schedule, "spec.cluster.name")).isEqualTo(pg.getMetadata().getName());
        assertThat(store.getMetadata().getName()).isEqualTo(chart.custom("ObjectStore").get(0).getMetadata().getName());
        assertThat(schedule.getMetadata().getName()).isEqualTo(chart.custom("ScheduledBackup").get(0).getMetadata().getName());
        assertThat(store.getAdditionalProperties().get("spec")).as("the same object store, retention and keys")
                .isEqualTo(chart.custom("ObjectStore").get(0).getAdditionalProperties().get("spec"));
        assertThat(schedule.getAdditionalProperties().get("spec")).as("the same schedule")
                .isEqualTo(chart.custom("ScheduledBackup").get(0).getAdditionalProperties().get("spec"));
    }
}
