package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livepet.contract.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Strimzi deployments (the prod overlay, the chart in strimzi mode) secure Kafka: one listener, TLS and
 * SCRAM-SHA-512, Kafka's ACLs, a KafkaUser per service with exactly the rules of the one list
 * ({@code helm/livepet/files/kafka-acls.json}, which the local stack's secured broker grants too), and every service
 * logging in as its own user, trusting the cluster CA. The plaintext ways (external Kafka, dev, compose) stay as they are.
 */
class SecuredKafkaTest {
    /** The secured listener's port: the services' bootstrap. */
    static final int PORT = 9093;
    static final String ACL_LIST = "helm/livepet/files/kafka-acls.json";
    private static final Map<String, String> CLIENT = Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");

    @Test
    void theOverlayAndTheChartSecureKafkaTheSameWay() {
        check(Kustomize.build("k8s/overlays/prod"), "");
        check(Chart.prod(), Chart.PREFIX);
        check(Chart.template("helm (strimzi, no network policies)", null, Map.of("kafka.mode", "strimzi")), Chart.PREFIX);
    }

    @Test
    void thePlaintextWaysStayPlaintext() {
        for (Rendered r : List.of(Chart.defaults(), Kustomize.build("k8s/overlays/dev"))) {
            assertThat(r.custom("KafkaUser")).as(r.source()).isEmpty();
            String prefix = r.source().startsWith("helm") ? Chart.PREFIX : "";
            for (String service : Checkout.SERVICES) {
                assertThat(WorkloadRules.env(r, container(r, prefix + service))).as("%s %s", r.source(), service)
                        .doesNotContainKeys("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_JAAS_CONFIG");
            }
        }
    }

    /** The list names what the services use: their topics, groups and the simulator's transactional ids. */
    @Test
    void theListNamesWhatTheServicesUse() {
        Map<String, List<String>> rules = new LinkedHashMap<>();
        acls().forEach((service, list) -> rules.put(service, list.stream().map(SecuredKafkaTest::rule).toList()));

        assertThat(rules.keySet()).containsExactlyInAnyOrderElementsOf(Checkout.SERVICES);
        String commands = Topics.PET_COMMANDS, state = Topics.PET_STATE, snapshots = Topics.PET_SNAPSHOTS;
        assertThat(rules.get("viewer-service")).containsExactly(
                "topic " + commands + " literal [Write, Describe]", "topic " + state + " literal [Read, Describe]",
                "group livepet-simulator literal [Describe]", "group livepet-persistence literal [Describe]");
        assertThat(rules.get("persistence-service")).containsExactly("topic " + state + " literal [Read, Describe]",
                "group livepet-persistence literal [Read]", "topic " + Topics.deadLetters(state) + " literal [Write, Describe]");
        assertThat(rules.get("simulator-service")).containsExactly(
                "topic " + commands + " literal [Read, Describe]", "group livepet-simulator literal [Read]",
                "topic " + state + " literal [Read, Write, Describe]", "topic " + snapshots + " literal [Read, Write, Describe]",
                "topic " + Topics.deadLetters(commands) + " literal [Write, Describe]",
                "transactionalId livepet-simulator- prefix [Write, Describe]", "cluster null literal [IdempotentWrite]");

        String clients = Checkout.read("simulator-service/src/main/java/dev/livepet/simulator/kafka/KafkaClients.java");
        assertThat(clients).as("the simulator's transactional id starts with the prefix the list grants")
                .contains("return \"livepet-simulator-\" + instanceId;")
                .contains("GROUP_ID = \"livepet-simulator\"");
        assertThat(Checkout.applicationProperties("persistence-service").getProperty("livepet.persistence.consumption.group-id"))
                .isEqualTo("livepet-persistence");
        Map<Object, Object> viewer = Checkout.applicationProperties("viewer-service");
        assertThat(viewer).containsEntry("livepet.viewer.dashboard.simulator-group", "livepet-simulator")
                .containsEntry("livepet.viewer.dashboard.persistence-group", "livepet-persistence");
        assertThat(Checkout.read("local-stack/pom.xml")).as("the local stack grants the same list")
                .contains("<directory>${project.basedir}/../helm/livepet/files</directory>")
                .contains("<include>kafka-acls.json</include>");
    }

    private static void check(Rendered r, String prefix) {
        // the Kafka: one listener, TLS and SCRAM; simple authorization; the User Operator for the KafkaUsers
        GenericKubernetesResource kafkaResource = r.custom("Kafka").get(0);
        String cluster = kafkaResource.getMetadata().getName();
        Kafka kafka = (Kafka) Rendered.strimzi(kafkaResource);
        assertThat(UnknownFields.of(kafka)).as("%s: Kafka", r.source()).isEmpty();
        assertThat(kafka.getSpec().getKafka().getListeners()).as("%s: listeners", r.source()).singleElement()
                .satisfies(l -> {
                    assertThat(l.getPort()).isEqualTo(PORT);
                    assertThat(l.isTls()).as("TLS").isTrue();
                    assertThat(l.getAuth()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
                });
        assertThat(kafka.getSpec().getKafka().getAuthorization()).as("%s: ACLs", r.source())
                .isInstanceOf(KafkaAuthorizationSimple.class);
        assertThat(kafka.getSpec().getEntityOperator().getUserOperator()).as("%s: User Operator", r.source()).isNotNull();

        // a KafkaUser per service, valid in Strimzi's model, with exactly the list's rules
        Map<String, List<Map<String, Object>>> list = acls();
        assertThat(r.custom("KafkaUser")).as("%s: KafkaUsers", r.source()).extracting(u -> u.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(Checkout.SERVICES.stream().map(SecuredKafkaTest::user).toList());
        for (GenericKubernetesResource u : r.custom("KafkaUser")) {
            String what = r.source() + ": KafkaUser " + u.getMetadata().getName();
            assertThat(u.getApiVersion()).as(what).isEqualTo("kafka.strimzi.io/v1");
            assertThat(u.getMetadata().getLabels()).as(what).containsEntry("strimzi.io/cluster", cluster);
            KafkaUser user = (KafkaUser) Rendered.strimzi(u);
            assertThat(UnknownFields.of(user)).as(what).isEmpty();
            assertThat(user.getSpec().getAuthentication()).as(what).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
            assertThat(user.getSpec().getAuthorization()).as(what).isInstanceOf(KafkaUserAuthorizationSimple.class);
            String service = u.getMetadata().getName().substring("livepet-".length());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rendered = (List<Map<String, Object>>) Rendered.field(u, "spec.authorization.acls");
            assertThat(rendered.stream().map(SecuredKafkaTest::rule).toList()).as("%s: the list's ACLs", what)
                    .containsExactlyElementsOf(list.get(service).stream().map(SecuredKafkaTest::rule).toList());
        }

        // each service logs in as its own user, over TLS trusting the cluster CA
        for (String service : Checkout.SERVICES) {
            String what = r.source() + ": " + service;
            Container c = container(r, prefix + service);
            Map<String, String> env = WorkloadRules.env(r, c);
            assertThat(env).as(what).containsAllEntriesOf(CLIENT)
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", cluster + "-kafka-bootstrap:" + PORT);
            EnvVar jaas = c.getEnv().stream().filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG")).findFirst()
                    .orElseThrow(() -> new AssertionError(what + ": no KAFKA_SASL_JAAS_CONFIG"));
            assertThat(jaas.getValueFrom().getSecretKeyRef().getName()).as("%s: its user's secret", what).isEqualTo(user(service));
            assertThat(jaas.getValueFrom().getSecretKeyRef().getKey()).as(what).isEqualTo("sasl.jaas.config");

            String truststore = env.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
            PodSpec pod = r.one(Deployment.class, prefix + service).getSpec().getTemplate().getSpec();
            VolumeMount mount = c.getVolumeMounts().stream().filter(m -> truststore.startsWith(m.getMountPath() + "/"))
                    .findFirst().orElseThrow(() -> new AssertionError(what + ": nothing mounted at " + truststore));
            Volume ca = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
            assertThat(ca.getSecret().getSecretName()).as("%s: the cluster CA", what).isEqualTo(cluster + "-cluster-ca-cert");
            assertThat(ca.getSecret().getItems()).as(what).anySatisfy(i -> {
                assertThat(i.getKey()).isEqualTo("ca.crt");
                assertThat(mount.getMountPath() + "/" + i.getPath()).isEqualTo(truststore);
            });
        }
        assertThat(r.all(ConfigMap.class).stream().flatMap(m -> m.getData().values().stream()))
                .as("%s: no password in a ConfigMap", r.source()).noneMatch(v -> v.contains("password="));
    }

    static String user(String service) {
        return "livepet-" + service;
    }

    /** The one list, by service: each rule as Strimzi's KafkaUser takes it. */
    @SuppressWarnings("unchecked")
    static Map<String, List<Map<String, Object>>> acls() {
        try {
            JsonNode users = new ObjectMapper().readTree(Checkout.read(ACL_LIST)).get("users");
            return new ObjectMapper().convertValue(users, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rule in one line: resource type, name, pattern type, the operations in their order. */
    @SuppressWarnings("unchecked")
    private static String rule(Map<String, Object> rule) {
        Map<String, Object> resource = (Map<String, Object>) rule.get("resource");
        Set<String> keys = new TreeSet<>(rule.keySet());
        keys.removeAll(Set.of("resource", "operations"));
        assertThat(keys).as("a rule has only a resource and operations (host *, type allow: Strimzi's defaults)").isEmpty();
        return resource.get("type") + " " + resource.get("name") + " "
                + Objects.requireNonNullElse(resource.get("patternType"), "literal") + " "
                + new ArrayList<>((List<String>) rule.get("operations"));
    }

    private static Container container(Rendered r, String deployment) {
        return r.one(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
