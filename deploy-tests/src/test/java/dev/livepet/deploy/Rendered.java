package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Kubernetes objects rendered by kustomize or Helm, parsed into the fabric8 model (CRDs stay generic). */
record Rendered(String source, List<HasMetadata> objects) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization MODEL = new KubernetesSerialization();

    static Rendered parse(String source, String multiDocumentYaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(multiDocumentYaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                KubernetesResource r = MODEL.convertValue(doc, KubernetesResource.class);
                assertThat(r).as("%s: a Kubernetes object with apiVersion and kind: %s", source, doc)
                        .isInstanceOf(HasMetadata.class);
                objects.add((HasMetadata) r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(source, List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                source + ": no " + type.getSimpleName() + " named " + name + " among " + names()));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    /** Custom resources (Strimzi, CloudNativePG) of a kind. */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
    }

    List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    /** A Strimzi resource in Strimzi's own model (api 0.51: the v1 CRDs; Strimzi 1.x needs Java 21). */
    static HasMetadata strimzi(GenericKubernetesResource r) {
        Class<? extends HasMetadata> type = switch (r.getKind()) {
            case "Kafka" -> io.strimzi.api.kafka.model.kafka.Kafka.class;
            case "KafkaNodePool" -> io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class;
            case "KafkaTopic" -> io.strimzi.api.kafka.model.topic.KafkaTopic.class;
            case "KafkaUser" -> io.strimzi.api.kafka.model.user.KafkaUser.class;
            default -> throw new AssertionError("a Strimzi kind these tests do not know: " + r.getKind());
        };
        return MODEL.convertValue(r, type);
    }

    /** A value below spec (or elsewhere) of a custom resource, by dotted path. */
    @SuppressWarnings("unchecked")
    static Object field(GenericKubernetesResource r, String dottedPath) {
        Object at = r.getAdditionalProperties();
        for (String key : dottedPath.split("\\.(?![^\\[]*])")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = ((Map<String, Object>) map).get(key.replace("[", "").replace("]", ""));
        }
        return at;
    }
}
