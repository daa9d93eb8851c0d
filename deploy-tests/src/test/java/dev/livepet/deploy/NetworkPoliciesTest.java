package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import dev.livepet.deploy.IngressPeers.Pod;
import dev.livepet.deploy.IngressPeers.Port;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies of the chart (networkPolicy.enabled) and of the prod overlay: for every port of every pod
 * the world runs, exactly the intended peers may connect, evaluated against a concrete world of pods
 * (IngressPeers), and the policies are valid Kubernetes objects.
 */
class NetworkPoliciesTest {
    private static final Set<String> NOBODY = Set.of();
    private static final Set<String> PROMETHEUS = Set.of("prometheus");
    private static final Set<String> SERVICES = Set.copyOf(Checkout.SERVICES);

    /** Who may reach each port of each service pod: players only the viewer's http, Prometheus every management. */
    private static final Map<String, Map<String, Set<String>>> SERVICE_PORTS = Map.of(
            "viewer-service", Map.of("http", Set.of("ingress-controller"), WorkloadRules.MANAGEMENT, PROMETHEUS),
            "simulator-service", Map.of("http", NOBODY, WorkloadRules.MANAGEMENT, PROMETHEUS),
            "persistence-service", Map.of("http", NOBODY, WorkloadRules.MANAGEMENT, PROMETHEUS));

    /** `helm test`'s pods: one asks the viewer's login page, one describes the topics on the brokers. */
    private static final String VIEWER_TEST = "test-viewer-answers";
    private static final String TOPIC_TEST = "test-topic-partitions";

    /** The intended peers, and where the chart renders its `helm test` pod for the viewer, that pod on http. */
    private static Map<String, Set<String>> withHelmTests(Map<String, Set<String>> ports, String service, List<Pod> world) {
        if (!service.equals("viewer-service") || world.stream().noneMatch(p -> p.name().equals(VIEWER_TEST))) {
            return ports;
        }
        Map<String, Set<String>> with = new LinkedHashMap<>(ports);
        Set<String> http = new java.util.TreeSet<>(ports.get("http"));
        http.add(VIEWER_TEST);
        with.put("http", http);
        return with;
    }

    /** A CloudNativePG instance's ports (named as the operator names them) and who may reach each. */
    private static final Map<Port, Set<String>> POSTGRES_PORTS = Map.of(
            new Port("postgresql", 5432), Set.of("viewer-service", "persistence-service", "postgres-instance", "cnpg-operator"),
            new Port("status", 8000), Set.of("postgres-instance", "cnpg-operator"),
            new Port("metrics", 9187), PROMETHEUS);

    @Test
    void theChartInProductionLetsEachPortBeReachedByItsPeersOnly() {
        // with `helm test`'s pods, which must reach what they check
        Rendered prod = Chart.withHooks("helm (values-prod.yaml, with hooks)", "values-prod.yaml", Map.of());
        assertThat(IngressPeers.world(prod, Chart.PREFIX)).extracting(Pod::name).contains(VIEWER_TEST, TOPIC_TEST);

        check(prod, Chart.PREFIX);
        assertThat(prod.all(NetworkPolicy.class)).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder(
                "livepet-default-deny", "livepet-persistence-service", "livepet-simulator-service",
                "livepet-viewer-service", "livepet-pg");
    }

    @Test
    void theProdOverlayLetsEachPortBeReachedByItsPeersOnly() {
        Rendered prod = Kustomize.build("k8s/overlays/prod");

        check(prod, "");
        assertThat(prod.all(NetworkPolicy.class)).hasSize(5);
    }

    @Test
    void withAnExternalKafkaAndPostgresTheChartFencesItsOwnPods() {
        Rendered external = Chart.template("helm (network policies, external)", null,
                Map.of("networkPolicy.enabled", true, "kafka.topics.helmHook", false));

        check(external, Chart.PREFIX);
        List<Pod> world = IngressPeers.world(external, Chart.PREFIX);
        Pod topicsJob = world.stream().filter(p -> p.name().equals("kafka-topics")).findFirst().orElseThrow();
        assertThat(IngressPeers.isolated(external.all(NetworkPolicy.class), topicsJob))
                .as("the topics Job takes no connection").isTrue();
        assertThat(external.all(NetworkPolicy.class)).extracting(p -> p.getMetadata().getName())
                .doesNotContain("livepet-pg");
    }

    @Test
    void theNamespacesAreValues() {
        Rendered r = Chart.template("helm (other namespaces)", "values-prod.yaml", Map.of(
                "networkPolicy.ingressNamespaceSelector.team", "edge",
                "networkPolicy.monitoringNamespaceSelector.team", "observability"));

        NetworkPolicy viewer = r.one(NetworkPolicy.class, "livepet-viewer-service");
        // the rules that name namespaces (the third admits `helm test`'s pod in the release's own)
        assertThat(viewer.getSpec().getIngress()).filteredOn(rule -> rule.getFrom().get(0).getNamespaceSelector() != null)
                .extracting(rule -> rule.getFrom().get(0).getNamespaceSelector().getMatchLabels())
                .containsExactly(Map.of("kubernetes.io/metadata.name", "ingress-nginx", "team", "edge"),
                        Map.of("kubernetes.io/metadata.name", "monitoring", "team", "observability"));
    }

    @Test
    void offByDefaultAndInDevelopment() {
        Rendered defaults = Chart.defaults();
        Rendered operatorsWithout = Chart.template("helm (operators, no policies)", "values-prod.yaml",
                Map.of("networkPolicy.enabled", false));
        Rendered dev = Kustomize.build("k8s/overlays/dev");

        for (Rendered r : List.of(defaults, operatorsWithout, dev)) {
            assertThat(r.all(NetworkPolicy.class)).as(r.source()).isEmpty();
        }
        assertThat(listener(operatorsWithout).getNetworkPolicyPeers()).as("Strimzi's listener open as before").isNull();
    }

    /** Every port of every pod of the rendering, against the intended peers; and every policy a valid object. */
    private static void check(Rendered r, String prefix) {
        List<NetworkPolicy> policies = r.all(NetworkPolicy.class);
        List<Pod> world = IngressPeers.world(r, prefix);
        assertSoftly(soft -> {
            for (NetworkPolicy p : policies) {
                soft.assertThat(UnknownFields.of(p)).as("%s: fields Kubernetes does not know in %s", r.source(),
                        p.getMetadata().getName()).isEmpty();
            }
            for (Deployment d : r.all(Deployment.class)) {
                String service = d.getMetadata().getName().substring(prefix.length());
                Pod pod = world.stream().filter(p -> p.name().equals(service)).findFirst().orElseThrow();
                Map<String, Set<String>> actual = new LinkedHashMap<>();
                for (ContainerPort port : d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts()) {
                    actual.put(port.getName(), IngressPeers.peers(policies, pod,
                            new Port(port.getName(), port.getContainerPort()), world));
                }
                soft.assertThat(actual).as("%s: who reaches each port of %s", r.source(), service)
                        .isEqualTo(withHelmTests(SERVICE_PORTS.get(service), service, world));
            }
            for (GenericKubernetesResource pg : r.custom("Cluster")) {
                Pod instance = IngressPeers.postgres(pg.getMetadata().getName());
                POSTGRES_PORTS.forEach((port, peers) -> soft.assertThat(IngressPeers.peers(policies, instance, port, world))
                        .as("%s: who reaches PostgreSQL's %s", r.source(), port).isEqualTo(peers));
            }
            if (!r.custom("Kafka").isEmpty()) {
                kafka(r, world, soft);
            }
        });
    }

    /**
     * Strimzi writes the brokers' NetworkPolicy itself: the listener's port from its networkPolicyPeers, its own
     * ports (control plane, replication) from its own pods. The listener the services use must name them only.
     */
    private static void kafka(Rendered r, List<Pod> world, SoftAssertions soft) {
        GenericKafkaListener listener = listener(r);
        soft.assertThat(UnknownFields.of(Rendered.strimzi(r.custom("Kafka").get(0)))).as("%s: Kafka", r.source()).isEmpty();
        soft.assertThat(listener.getNetworkPolicyPeers()).as("%s: the listener has peers (none = everyone)", r.source())
                .isNotEmpty();
        Set<String> peers = new java.util.TreeSet<>(SERVICES);
        world.stream().map(Pod::name).filter(TOPIC_TEST::equals).forEach(peers::add);
        soft.assertThat(IngressPeers.peers(listener.getNetworkPolicyPeers(), world))
                .as("%s: who reaches Kafka's listener %s", r.source(), listener.getPort()).isEqualTo(peers);
        soft.assertThat(IngressPeers.isolated(r.all(NetworkPolicy.class), IngressPeers.kafkaBroker(
                r.custom("Kafka").get(0).getMetadata().getName())))
                .as("%s: our policies leave the brokers to Strimzi's (else its own traffic would need rules)", r.source())
                .isFalse();
    }

    private static GenericKafkaListener listener(Rendered r) {
        Kafka kafka = (Kafka) Rendered.strimzi(r.custom("Kafka").get(0));
        return kafka.getSpec().getKafka().getListeners().stream().filter(l -> l.getPort() == SecuredKafkaTest.PORT)
                .findFirst().orElseThrow();
    }
}
