package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CrdSchemaTest {

    @Test
    void refusesWhatTheApiServerRefuses() {
        var cluster = Rendered.parse("a typo", """
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: pg}
                spec:
                  instancess: 3
                  storage: {size: 1Gi}
                  postgresql:
                    synchronous: {method: all, number: 1}
                """).custom("Cluster").get(0);

        assertThat(CrdSchema.violations(cluster)).containsExactlyInAnyOrder(
                "Cluster/pg.spec.instancess: unknown field",
                "Cluster/pg.spec: instances is required",
                "Cluster/pg.spec.postgresql.synchronous.method: \"all\" is not one of [\"any\",\"first\"]");
    }

    @Test
    void acceptsAValidClusterAndItsFreeFormMaps() {
        var cluster = Rendered.parse("valid", """
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: pg, annotations: {anything: goes}}
                spec:
                  instances: 3
                  storage: {size: 1Gi}
                  postgresql:
                    parameters: {max_connections: "140"}
                  resources:
                    requests: {cpu: "1", memory: 2Gi}
                """).custom("Cluster").get(0);

        assertThat(CrdSchema.violations(cluster)).isEmpty();
    }
}
