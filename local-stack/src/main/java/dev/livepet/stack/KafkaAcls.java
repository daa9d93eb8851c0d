package dev.livepet.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each service may do on a secured Kafka, read from the one list, {@code helm/livepet/files/kafka-acls.json}
 * (packaged into this module): the chart's KafkaUsers grant the same rules, Strimzi's form of them, which this class
 * turns into Kafka's own ACL bindings for the local stack's secured broker.
 */
public final class KafkaAcls {
    /** The user a service's principal is named after, here and in the chart's and the prod overlay's KafkaUsers. */
    public static String userOf(String service) {
        return "livepet-" + service;
    }

    /** One Strimzi ACL rule: a resource (type, name, pattern) and the operations allowed on it. */
    public record Rule(String type, String name, String patternType, List<String> operations) {
    }

    private KafkaAcls() {
    }

    /** The rules of each service, by service name ({@code viewer-service}, …), as the list has them. */
    public static Map<String, List<Rule>> rules() {
        try (InputStream in = KafkaAcls.class.getResourceAsStream("kafka-acls.json")) {
            if (in == null) {
                throw new IllegalStateException("kafka-acls.json is missing from local-stack's classpath");
            }
            JsonNode users = new ObjectMapper().readTree(in).get("users");
            Map<String, List<Rule>> rules = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = users.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> user = it.next();
                List<Rule> list = new ArrayList<>();
                for (JsonNode rule : user.getValue()) {
                    JsonNode resource = rule.get("resource");
                    List<String> operations = new ArrayList<>();
                    rule.get("operations").forEach(o -> operations.add(o.asText()));
                    list.add(new Rule(resource.get("type").asText(), resource.path("name").asText(null),
                            resource.path("patternType").asText("literal"), List.copyOf(operations)));
                }
                rules.put(user.getKey(), List.copyOf(list));
            }
            return Map.copyOf(rules);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read kafka-acls.json", e);
        }
    }

    /** The ACL bindings that grant {@code rules} to {@code User:<user>} from any host. */
    public static List<AclBinding> bindings(String user, List<Rule> rules) {
        List<AclBinding> bindings = new ArrayList<>();
        for (Rule rule : rules) {
            ResourcePattern pattern = switch (rule.type()) {
                case "topic" -> new ResourcePattern(ResourceType.TOPIC, rule.name(), patternType(rule));
                case "group" -> new ResourcePattern(ResourceType.GROUP, rule.name(), patternType(rule));
                case "transactionalId" -> new ResourcePattern(ResourceType.TRANSACTIONAL_ID, rule.name(), patternType(rule));
                case "cluster" -> new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
                default -> throw new IllegalArgumentException("a resource type Strimzi does not know: " + rule.type());
            };
            for (String operation : rule.operations()) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, "*",
                        operation(operation), AclPermissionType.ALLOW)));
            }
        }
        return List.copyOf(bindings);
    }

    private static PatternType patternType(Rule rule) {
        return switch (rule.patternType()) {
            case "literal" -> PatternType.LITERAL;
            case "prefix" -> PatternType.PREFIXED;
            default -> throw new IllegalArgumentException("a pattern type Strimzi does not know: " + rule.patternType());
        };
    }

    /** Strimzi's operation names (IdempotentWrite) are Kafka's in camel case (IDEMPOTENT_WRITE). */
    static AclOperation operation(String strimzi) {
        return AclOperation.valueOf(strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }
}
