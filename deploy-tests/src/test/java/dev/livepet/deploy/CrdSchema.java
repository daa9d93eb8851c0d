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
import java.util.regex.PatternSyntaxException;

/**
 * A vendored CRD's openAPI schema (src/test/resources/crds, see its README), checked against a custom resource's
 * spec the way an API server prunes and validates it: no field the schema does not know, every required field,
 * the types, enums and patterns. CEL rules (x-kubernetes-validations) are not evaluated.
 */
final class CrdSchema {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode schema;
    private final String kind;

    private CrdSchema(String kind, JsonNode schema) {
        this.kind = kind;
        this.schema = schema;
    }

    /** The schema of one version of a vendored CRD, e.g. ("monitoring.coreos.com_podmonitors.yaml", "v1"). */
    static CrdSchema load(String file, String version) {
        try (InputStream in = CrdSchema.class.getResourceAsStream("/crds/" + file)) {
            if (in == null) {
                throw new AssertionError("no vendored CRD " + file);
            }
            JsonNode crd = YAML.readTree(in);
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("name").asText().equals(version)) {
                    return new CrdSchema(crd.path("spec").path("names").path("kind").asText(),
                            v.path("schema").path("openAPIV3Schema"));
                }
            }
            throw new AssertionError(file + " has no version " + version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the API server would refuse or drop in the resource's spec; empty when it is valid. */
    List<String> problems(GenericKubernetesResource r) {
        List<String> problems = new ArrayList<>();
        if (!r.getKind().equals(kind)) {
            problems.add("a " + r.getKind() + ", not a " + kind);
            return problems;
        }
        JsonNode object = JSON.valueToTree(r.getAdditionalProperties());
        JsonNode specSchema = schema.path("properties").path("spec");
        if (!object.has("spec")) {
            problems.add("no spec");
        } else {
            check(object.get("spec"), specSchema, r.getKind() + "/" + r.getMetadata().getName() + ".spec", problems);
        }
        return problems;
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!value.isTextual() && !value.isIntegralNumber()) {
                problems.add(path + ": an int or a string, not " + value);
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(path + ": an object, not " + value);
                    return;
                }
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.get("additionalProperties");
                boolean anything = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    String at = path + "." + field.getKey();
                    if (properties.has(field.getKey())) {
                        check(field.getValue(), properties.get(field.getKey()), at, problems);
                    } else if (additional != null && additional.isObject()) {
                        check(field.getValue(), additional, at, problems);
                    } else if (!anything && (properties.size() > 0 || additional != null)) {
                        problems.add(at + ": a field the schema does not know");
                    }
                }
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asText())) {
                        problems.add(path + ": lacks the required " + required.asText());
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(path + ": an array, not " + value);
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.path("items"), path + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(path + ": a string, not " + value);
                    return;
                }
                if (schema.has("enum") && !contains(schema.get("enum"), value)) {
                    problems.add(path + ": " + value + " is none of " + schema.get("enum"));
                }
                if (schema.has("pattern") && !matches(schema.get("pattern").asText(), value.asText())) {
                    problems.add(path + ": " + value + " does not match " + schema.get("pattern").asText());
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(path + ": an integer, not " + value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(path + ": a number, not " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(path + ": a boolean, not " + value);
                }
            }
            default -> {
                // no type: anything goes
            }
        }
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            return true; // an RE2 pattern Java cannot read: left to the API server
        }
    }
}
