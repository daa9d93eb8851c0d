package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chart's values: a strict schema, the images they name, and a README that lists each of them. */
class HelmValuesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void aMisspeltValueIsRefusedByName() {
        assertThatThrownBy(() -> Chart.template("helm (a typo)", null, Map.of("viewer.replicaz", 3)))
                .hasMessageContaining("replicaz").hasMessageContaining("not allowed");
        assertThatThrownBy(() -> Chart.template("helm (a nested typo)", "values-prod.yaml",
                Map.of("postgresql.cloudnativepg.backup.destinatonPath", "s3://pets")))
                .hasMessageContaining("destinatonPath").hasMessageContaining("not allowed");
        assertThatThrownBy(() -> Chart.template("helm (a top-level typo)", null, Map.of("ingres.enabled", false)))
                .hasMessageContaining("ingres").hasMessageContaining("not allowed");
    }

    @Test
    void freeFormMapsStayFree() {
        Rendered r = Chart.template("helm (free maps)", null, Map.of(
                "world.env.LIVEPET_WORLD_TICK_INTERVAL", "2s",
                "ingress.annotations.cert-manager\\.io/cluster-issuer", "letsencrypt",
                "viewer.resources.limits.ephemeral-storage", "1Gi"));

        assertThat(r.one(io.fabric8.kubernetes.api.model.ConfigMap.class, "livepet-config").getData())
                .containsEntry("LIVEPET_WORLD_TICK_INTERVAL", "2s");
    }

    @Test
    void theImagesByDefaultAreTheBuildsAtTheChartsAppVersion() {
        String appVersion = chartYaml().path("appVersion").asText();
        assertThat(appVersion).isNotBlank();

        for (Rendered r : List.of(Chart.defaults(), Chart.template("helm (an empty tag)", null, Map.of("image.tag", "")))) {
            for (String service : Checkout.SERVICES) {
                assertThat(image(r, service)).as("%s %s", r.source(), service)
                        .isEqualTo("livepet/" + service + ":" + appVersion).isEqualTo(Checkout.image(service));
            }
        }
        assertThat(image(Chart.template("helm (a tag)", null, Map.of("image.tag", "0.2.0")), "viewer-service"))
                .isEqualTo("livepet/viewer-service:0.2.0");
    }

    @Test
    void aRegistryPrefixOrRepositoryAndADigestNameTheImage() {
        Rendered r = Chart.template("helm (registry, digest)", null, Map.of(
                "image.registry", "ghcr.io/your-org",
                "image.repositoryPrefix", "pets",
                "viewer.image.digest", DIGEST,
                "simulator.image.repository", "mirror/simulator"));

        assertThat(image(r, "viewer-service")).as("a digest instead of the tag")
                .isEqualTo("ghcr.io/your-org/pets/viewer-service@" + DIGEST);
        assertThat(image(r, "simulator-service")).isEqualTo("ghcr.io/your-org/mirror/simulator:0.1.0");
        assertThat(image(r, "persistence-service")).isEqualTo("ghcr.io/your-org/pets/persistence-service:0.1.0");
        assertThatThrownBy(() -> Chart.template("helm (a short digest)", null, Map.of("viewer.image.digest", "sha256:abc")))
                .hasMessageContaining("digest");
    }

    @Test
    void theReadmeTabulatesEveryValueWithItsDefault() {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        leaves("", yaml("helm/livepet/values.yaml"), leaves);
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Checkout.read("helm/livepet/README.md").split("\n")) {
            String[] cells = line.split("\\|");
            if (line.startsWith("| `") && cells.length >= 4) {
                rows.put(cells[1].trim().replace("`", ""), cells[2].trim());
            }
        }

        assertThat(rows.keySet()).as("helm/livepet/README.md's value table, against values.yaml")
                .containsExactlyInAnyOrderElementsOf(leaves.keySet());
        leaves.forEach((key, value) -> {
            if (value.isValueNode()) {
                String shown = value.isTextual() && value.asText().isEmpty() ? "\"\"" : value.asText();
                assertThat(rows.get(key)).as("README default of %s", key).isEqualTo("`" + shown + "`");
            }
        });
    }

    /**
     * The values a person sets one by one: every scalar and list, and the maps that are free-form (resources,
     * annotations, env, labels and label selectors), whole.
     */
    private static void leaves(String prefix, JsonNode node, Map<String, JsonNode> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject() && !Set.of("resources", "annotations", "env", "labels").contains(e.getKey())
                    && !e.getKey().toLowerCase(java.util.Locale.ROOT).endsWith("namespaceselector")) {
                leaves(key + ".", e.getValue(), into);
            } else {
                into.put(key, e.getValue());
            }
        }
    }

    private static String image(Rendered r, String service) {
        Container c = r.one(Deployment.class, Chart.PREFIX + service).getSpec().getTemplate().getSpec().getContainers().get(0);
        return c.getImage();
    }

    private static JsonNode chartYaml() {
        return yaml("helm/livepet/Chart.yaml");
    }

    private static JsonNode yaml(String file) {
        try {
            return YAML.readTree(Checkout.read(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
