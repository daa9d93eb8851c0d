package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's CloudNativePG cluster: kept on uninstall, synchronous, backed up when there is a bucket. */
class HelmBackupsTest {
    private static final String PLUGIN = "barman-cloud.cloudnative-pg.io";

    @Test
    void prodArchivesTheWalAndBacksUpDaily() {
        Rendered prod = Chart.prod();

        GenericKubernetesResource pg = prod.custom("Cluster").get(0);
        GenericKubernetesResource store = prod.custom("ObjectStore").get(0);
        assertThat(Rendered.field(pg, "spec.plugins")).as("WAL archiving by the Barman Cloud plugin")
                .isEqualTo(List.of(Map.of("name", PLUGIN, "isWALArchiver", true,
                        "parameters", Map.of("barmanObjectName", store.getMetadata().getName()))));
        assertThat(Rendered.field(store, "spec.configuration.destinationPath")).isEqualTo("s3://livepet-backups/livepet");
        assertThat(Rendered.field(store, "spec.configuration.endpointURL")).as("AWS S3: no endpoint").isNull();
        assertThat(Rendered.field(store, "spec.configuration.s3Credentials.accessKeyId"))
                .isEqualTo(Map.of("name", "livepet-backup", "key", "ACCESS_KEY_ID"));
        assertThat(Rendered.field(store, "spec.configuration.s3Credentials.secretAccessKey"))
                .isEqualTo(Map.of("name", "livepet-backup", "key", "ACCESS_SECRET_KEY"));
        assertThat(Rendered.field(store, "spec.retentionPolicy")).isEqualTo("30d");
        assertThat(prod.custom("ScheduledBackup")).singleElement().satisfies(s -> {
            assertThat(Rendered.field(s, "spec.schedule")).as("daily at 03:00, seconds first").isEqualTo("0 0 3 * * *");
            assertThat(Rendered.field(s, "spec.cluster.name")).isEqualTo(pg.getMetadata().getName());
            assertThat(Rendered.field(s, "spec.method")).isEqualTo("plugin");
            assertThat(Rendered.field(s, "spec.pluginConfiguration.name")).isEqualTo(PLUGIN);
            assertThat(Rendered.field(s, "spec.backupOwnerReference")).as("Backups live with the kept Cluster")
                    .isEqualTo("cluster");
        });
    }

    @Test
    void theBackupValuesReachTheObjectStoreAndTheSchedule() {
        Rendered r = Chart.template("helm (backups to MinIO)", null, Map.of("kafka.topics.helmHook", false,
                "postgresql.mode", "cloudnative-pg", "postgresql.cloudnativepg.backup.enabled", true,
                "postgresql.cloudnativepg.backup.destinationPath", "s3://pets/backups",
                "postgresql.cloudnativepg.backup.endpointURL", "https://minio.example.com",
                "postgresql.cloudnativepg.backup.retentionPolicy", "2w",
                "postgresql.cloudnativepg.backup.schedule", "0 30 1 * * 0"));

        WorkloadRules.check(r, Chart.PREFIX, java.util.Set.of());
        GenericKubernetesResource store = r.custom("ObjectStore").get(0);
        assertThat(Rendered.field(store, "spec.configuration.destinationPath")).isEqualTo("s3://pets/backups");
        assertThat(Rendered.field(store, "spec.configuration.endpointURL")).isEqualTo("https://minio.example.com");
        assertThat(Rendered.field(store, "spec.configuration.s3Credentials.accessKeyId.name"))
                .as("<release>-backup unless named").isEqualTo("livepet-backup");
        assertThat(Rendered.field(store, "spec.retentionPolicy")).isEqualTo("2w");
        assertThat(Rendered.field(r.custom("ScheduledBackup").get(0), "spec.schedule")).isEqualTo("0 30 1 * * 0");
    }

    @Test
    void backupsAreOffWithoutABucket() {
        Rendered r = Chart.template("helm (cloudnative-pg, no backups)", null,
                Map.of("kafka.topics.helmHook", false, "postgresql.mode", "cloudnative-pg"));

        WorkloadRules.check(r, Chart.PREFIX, java.util.Set.of());
        assertThat(r.custom("Cluster")).hasSize(1);
        assertThat(Rendered.field(r.custom("Cluster").get(0), "spec.plugins")).isNull();
        assertThat(r.custom("ObjectStore")).isEmpty();
        assertThat(r.custom("ScheduledBackup")).isEmpty();
    }

    @Test
    void enablingBackupsWithoutABucketFailsWithASentence() {
        assertThatThrownBy(() -> Chart.template("helm (backups, no bucket)", null, Map.of(
                "postgresql.mode", "cloudnative-pg", "postgresql.cloudnativepg.backup.enabled", true)))
                .hasMessageContaining("postgresql.cloudnativepg.backup.enabled needs postgresql.cloudnativepg.backup"
                        + ".destinationPath, the bucket and path the backups go to");
        assertThatThrownBy(() -> Chart.template("helm (backups, external PostgreSQL)", null, Map.of(
                "postgresql.cloudnativepg.backup.enabled", true,
                "postgresql.cloudnativepg.backup.destinationPath", "s3://pets/backups")))
                .hasMessageContaining("needs postgresql.mode cloudnative-pg");
    }

    @Test
    void theClusterIsKeptOnUninstallLikeTheSecrets() {
        Rendered prod = Chart.prod();

        assertThat(prod.custom("Cluster").get(0).getMetadata().getAnnotations())
                .containsEntry("helm.sh/resource-policy", "keep");
        assertThat(prod.custom("ObjectStore").get(0).getMetadata().getAnnotations()).as("where its WAL goes")
                .containsEntry("helm.sh/resource-policy", "keep");
    }

    @Test
    void commitsWaitForAStandbyWhereThereIsOne() {
        assertThat(Rendered.field(Chart.prod().custom("Cluster").get(0), "spec.postgresql.synchronous"))
                .isEqualTo(Map.of("method", "any", "number", 1, "dataDurability", "required"));

        Rendered single = Chart.template("helm (one instance)", "values-prod.yaml",
                Map.of("postgresql.cloudnativepg.instances", 1));
        assertThat(Rendered.field(single.custom("Cluster").get(0), "spec.postgresql.synchronous"))
                .as("no standby to wait for").isNull();
        assertThat(Rendered.field(Chart.template("helm (two instances)", "values-prod.yaml", Map.of(
                        "postgresql.cloudnativepg.instances", 2,
                        "postgresql.cloudnativepg.synchronous.dataDurability", "preferred")).custom("Cluster").get(0),
                "spec.postgresql.synchronous.dataDurability")).isEqualTo("preferred");
        assertThatThrownBy(() -> Chart.template("helm (waits for more standbys than there are)", "values-prod.yaml",
                Map.of("postgresql.cloudnativepg.instances", 2, "postgresql.cloudnativepg.synchronous.number", 2)))
                .hasMessageContaining("must be less than the instances");
    }
}
