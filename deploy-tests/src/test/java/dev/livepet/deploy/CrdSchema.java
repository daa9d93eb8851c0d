package dev.livepet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A custom resource checked against its CRD's openAPIV3Schema (src/test/resources/crds, pinned releases), as the
 * API server does with strict field validation: unknown fields (where the schema does not keep them), types, enums,
 * required fields, patterns and bounds. CEL rules (x-kubernetes-validations) are not run: the tests check the few
 * that matter to LivePet by hand.
 */
final class CrdSchema {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** apiVersion group -> CRD file prefix; kind -> plural, as the CRD files are named. */
    private static final Map<String, String> FILES = Map.of(
            "postgresql.cnpg.io/Cluster", "crds/postgresql.cnpg.io_clusters.yaml",
            "postgresql.cnpg.io/ScheduledBackup", "crds/postgresql.cnpg.io_scheduledbackups.yaml",
            "barmancloud.cnpg.io/ObjectStore", "crds/barmancloud.cnpg.io_objectstores.yaml",
            "monitoring.coreos.com/PodMonitor", "crds/monitoring.coreos.com_podmonitors.yaml",
            "monitoring.coreos.com/PrometheusRule", "crds/monitoring.coreos.com_prometheusrules.yaml",
            "keda.sh/ScaledObject", "crds/keda.sh_scaledobjects.yaml",
            "keda.sh/TriggerAuthentication", "crds/keda.sh_triggerauthentications.yaml");

    private CrdSchema() {
    }

    /** Whether these tests hold a schema for the resource's group and kind. */
    static boolean knows(GenericKubernetesResource r) {
        return FILES.containsKey(group(r) + "/" + r.getKind());
    }

    /** What the API server would refuse in the resource, one line each; empty if it is valid. */
    static List<String> violations(GenericKubernetesResource r) {
        String file = FILES.get(group(r) + "/" + r.getKind());
        if (file == null) {
            return List.of(r.getApiVersion() + " " + r.getKind() + ": no schema in src/test/resources/crds");
        }
        String version = r.getApiVersion().substring(r.getApiVersion().indexOf('/') + 1);
        JsonNode schema = null;
        for (JsonNode v : load(file).path("spec").path("versions")) {
            if (v.path("name").asText().equals(version)) {
                schema = v.path("schema").path("openAPIV3Schema");
            }
        }
        if (schema == null) {
            return List.of(r.getApiVersion() + " " + r.getKind() + ": the CRD has no version " + version);
        }
        List<String> found = new ArrayList<>();
        check(JSON.valueToTree(r), schema, r.getKind() + "/" + r.getMetadata().getName(), found);
        return found;
    }

    private static String group(GenericKubernetesResource r) {
        return r.getApiVersion().contains("/") ? r.getApiVersion().substring(0, r.getApiVersion().indexOf('/')) : "";
    }

    private static JsonNode load(String resource) {
        try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the test class path");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> found) {
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                found.add(path + ": null");
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                found.add(path + ": not an integer or a string: " + value);
            }
            return;
        }
        String type = schema.path("type").asText("");
        boolean typeOk = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!typeOk) {
            found.add(path + ": not " + type + ": " + value);
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) {
                listed |= e.equals(value);
            }
            if (!listed) {
                found.add(path + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isTextual()) {
            String s = value.asText();
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
                found.add(path + ": " + s + " does not match " + schema.get("pattern").asText());
            }
            if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
                found.add(path + ": shorter than " + schema.get("minLength").asInt());
            }
            if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) {
                found.add(path + ": longer than " + schema.get("maxLength").asInt());
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
                found.add(path + ": below " + schema.get("minimum"));
            }
            if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
                found.add(path + ": above " + schema.get("maximum"));
            }
        }
        if (value.isArray()) {
            JsonNode items = schema.path("items");
            int i = 0;
            for (JsonNode item : value) {
                if (items.isObject()) {
                    check(item, items, path + "[" + i + "]", found);
                }
                i++;
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    found.add(path + ": " + required.asText() + " is required");
                }
            }
            boolean keepsUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path + "." + field.getKey();
                if (properties.has(field.getKey())) {
                    check(field.getValue(), properties.get(field.getKey()), at, found);
                } else if (additional.isObject()) {
                    check(field.getValue(), additional, at, found);
                } else if (!keepsUnknown && !additional.asBoolean(false) && (properties.size() > 0 || additional.isBoolean())) {
                    found.add(at + ": unknown field");
                }
            }
        }
    }
}
