package dev.livepet.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kubernetes' NetworkPolicy ingress rules, evaluated: which pods of a small, concrete world (the rendering's own
 * pods plus the usual neighbours: an ingress controller, Prometheus, the operators, strangers) may open a
 * connection to a port of a pod. Policies add up; a pod no Ingress policy selects takes everything. Probes are
 * not modelled: they come from the node, which NetworkPolicies do not block in most CNIs.
 */
final class IngressPeers {
    /** The namespace the renderings are made for (Chart's release namespace, the prod overlay's namespace). */
    static final String NAMESPACE = "livepet";

    record Pod(String name, String namespace, Map<String, String> labels) {
        Map<String, String> namespaceLabels() {
            return Map.of("kubernetes.io/metadata.name", namespace);
        }
    }

    record Port(String name, int number) {
    }

    private IngressPeers() {
    }

    /**
     * The pods a rendering runs (Deployments by name without prefix, Jobs, test Pods, and for an operator's custom resource
     * the pods the operator makes with the labels it gives them) and the neighbours every cluster has.
     */
    static List<Pod> world(Rendered r, String prefix) {
        List<Pod> pods = new ArrayList<>();
        for (Deployment d : r.all(Deployment.class)) {
            pods.add(new Pod(d.getMetadata().getName().substring(prefix.length()), NAMESPACE,
                    d.getSpec().getTemplate().getMetadata().getLabels()));
        }
        for (Job j : r.all(Job.class)) {
            pods.add(new Pod(j.getMetadata().getName().substring(prefix.length()), NAMESPACE,
                    j.getSpec().getTemplate().getMetadata().getLabels()));
        }
        // `helm test`'s pods, which the policies must let reach what they check
        for (io.fabric8.kubernetes.api.model.Pod test : r.all(io.fabric8.kubernetes.api.model.Pod.class)) {
            pods.add(new Pod(test.getMetadata().getName().substring(prefix.length()), NAMESPACE,
                    test.getMetadata().getLabels()));
        }
        for (GenericKubernetesResource pg : r.custom("Cluster")) {
            pods.add(postgres(pg.getMetadata().getName()));
        }
        for (GenericKubernetesResource kafka : r.custom("Kafka")) {
            String cluster = kafka.getMetadata().getName();
            pods.add(kafkaBroker(cluster));
            pods.add(new Pod("strimzi-entity-operator", NAMESPACE, Map.of("strimzi.io/cluster", cluster,
                    "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-entity-operator",
                    "app.kubernetes.io/name", "entity-operator", "app.kubernetes.io/instance", cluster)));
        }
        pods.add(new Pod("ingress-controller", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx")));
        pods.add(new Pod("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus")));
        pods.add(new Pod("cnpg-operator", "cnpg-system", Map.of("app.kubernetes.io/name", "cloudnative-pg")));
        pods.add(new Pod("strimzi-operator", "strimzi", Map.of("strimzi.io/kind", "cluster-operator")));
        pods.add(new Pod("stranger", NAMESPACE, Map.of("app", "stranger")));
        // a pod that looks like ours in another namespace: a podSelector alone means the policy's namespace
        pods.add(new Pod("look-alike elsewhere", "elsewhere", Map.of("app.kubernetes.io/name", "viewer-service",
                "app.kubernetes.io/instance", Chart.RELEASE, "cnpg.io/cluster", "livepet-pg")));
        return List.copyOf(pods);
    }

    /** A CloudNativePG instance pod, labelled as the operator labels it. */
    static Pod postgres(String cluster) {
        return new Pod("postgres-instance", NAMESPACE, Map.of("cnpg.io/cluster", cluster,
                "cnpg.io/instanceName", cluster + "-1", "cnpg.io/podRole", "instance", "role", "primary"));
    }

    /** A Strimzi broker pod, labelled as the operator labels it. */
    static Pod kafkaBroker(String cluster) {
        return new Pod("kafka-broker", NAMESPACE, Map.of("strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", cluster + "-kafka", "strimzi.io/broker-role", "true",
                "app.kubernetes.io/name", "kafka", "app.kubernetes.io/instance", cluster));
    }

    /** Whether some policy with an Ingress type selects the pod (else it takes every connection). */
    static boolean isolated(List<NetworkPolicy> policies, Pod target) {
        return !selecting(policies, target).isEmpty();
    }

    /** The names of the pods of the world that may connect to the target's port. */
    static Set<String> peers(List<NetworkPolicy> policies, Pod target, Port port, List<Pod> world) {
        List<NetworkPolicy> selecting = selecting(policies, target);
        Set<String> allowed = new TreeSet<>();
        for (Pod source : world) {
            boolean ok = selecting.isEmpty() || selecting.stream().anyMatch(p -> p.getSpec().getIngress() != null
                    && p.getSpec().getIngress().stream().anyMatch(rule -> allows(rule, port, source)));
            if (ok) {
                allowed.add(source.name());
            }
        }
        return allowed;
    }

    /** Peers of a rule alone (e.g. a Strimzi listener's networkPolicyPeers, of which Strimzi writes the policy). */
    static Set<String> peers(List<NetworkPolicyPeer> from, List<Pod> world) {
        Set<String> allowed = new TreeSet<>();
        for (Pod source : world) {
            if (from == null || from.isEmpty() || from.stream().anyMatch(peer -> matches(peer, source))) {
                allowed.add(source.name());
            }
        }
        return allowed;
    }

    private static List<NetworkPolicy> selecting(List<NetworkPolicy> policies, Pod target) {
        return policies.stream()
                .filter(p -> Objects.equals(namespace(p), target.namespace()))
                .filter(p -> p.getSpec().getPolicyTypes() == null || p.getSpec().getPolicyTypes().isEmpty()
                        || p.getSpec().getPolicyTypes().contains("Ingress"))
                .filter(p -> matches(p.getSpec().getPodSelector(), target.labels()))
                .toList();
    }

    private static String namespace(NetworkPolicy p) {
        return p.getMetadata().getNamespace() == null ? NAMESPACE : p.getMetadata().getNamespace();
    }

    private static boolean allows(NetworkPolicyIngressRule rule, Port port, Pod source) {
        boolean portOk = rule.getPorts() == null || rule.getPorts().isEmpty()
                || rule.getPorts().stream().anyMatch(p -> matches(p, port));
        boolean fromOk = rule.getFrom() == null || rule.getFrom().isEmpty()
                || rule.getFrom().stream().anyMatch(peer -> matches(peer, source));
        return portOk && fromOk;
    }

    private static boolean matches(NetworkPolicyPort p, Port port) {
        if (p.getProtocol() != null && !p.getProtocol().equals("TCP")) {
            return false;
        }
        IntOrString wanted = p.getPort();
        if (wanted == null) {
            return true;
        }
        if (wanted.getStrVal() != null) {
            return wanted.getStrVal().equals(port.name());
        }
        int from = wanted.getIntVal();
        int to = p.getEndPort() != null ? p.getEndPort() : from;
        return port.number() >= from && port.number() <= to;
    }

    private static boolean matches(NetworkPolicyPeer peer, Pod source) {
        if (peer.getIpBlock() != null) {
            throw new AssertionError("an ipBlock peer: these tests cannot tell which pods it admits: " + peer);
        }
        if (peer.getNamespaceSelector() == null) {
            return source.namespace().equals(NAMESPACE) && matches(peer.getPodSelector(), source.labels());
        }
        return matches(peer.getNamespaceSelector(), source.namespaceLabels())
                && (peer.getPodSelector() == null || matches(peer.getPodSelector(), source.labels()));
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        if (!wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of()
                : selector.getMatchExpressions();
        return expressions.stream().allMatch(x -> switch (x.getOperator()) {
            case "In" -> labels.containsKey(x.getKey()) && x.getValues().contains(labels.get(x.getKey()));
            case "NotIn" -> !labels.containsKey(x.getKey()) || !x.getValues().contains(labels.get(x.getKey()));
            case "Exists" -> labels.containsKey(x.getKey());
            case "DoesNotExist" -> !labels.containsKey(x.getKey());
            default -> throw new AssertionError("a selector operator Kubernetes does not know: " + x.getOperator());
        });
    }
}
