package dev.livepet.deploy;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml as docker compose reads it (YAML merge keys resolved). */
record Compose(Map<String, Object> file) {

    static Compose load() {
        return new Compose(new Yaml().load(Checkout.read("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> services() {
        return (Map<String, Object>) file.get("services");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> service(String name) {
        Map<String, Object> s = (Map<String, Object>) services().get(name);
        if (s == null) {
            throw new AssertionError("docker-compose.yml has no service " + name + ": " + services().keySet());
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    Map<String, String> environment(String service) {
        Map<String, Object> env = (Map<String, Object>) service(service).getOrDefault("environment", Map.of());
        return env.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    @SuppressWarnings("unchecked")
    List<String> ports(String service) {
        return ((List<Object>) service(service).getOrDefault("ports", List.of())).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    Map<String, String> dependsOn(String service) {
        Map<String, Map<String, String>> deps = (Map<String, Map<String, String>>) service(service).getOrDefault("depends_on", Map.of());
        return deps.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get("condition")));
    }

    String image(String service) {
        return (String) service(service).get("image");
    }
}
