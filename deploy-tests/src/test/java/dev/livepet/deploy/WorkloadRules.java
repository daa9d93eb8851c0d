package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;

/** What every rendering of LivePet (kustomize overlay or Helm values) must satisfy before it reaches a cluster. */
final class WorkloadRules {
    /** The container port name of Quarkus' management interface (health, metrics). */
    static final String MANAGEMENT = "management";

    private WorkloadRules() {
    }

    /**
     * @param prefix        the name prefix of the rendering ("" for kustomize, "livepet-" for the chart)
     * @param externalSecrets secrets that are created outside the rendering (never rendered themselves)
     */
    static void check(Rendered r, String prefix, Set<String> externalSecrets) {
        assertSoftly(soft -> {
            noUnknownFields(r, soft);
            everyWorkloadIsHardened(r, soft);
            theThreeServices(r, prefix, soft);
            references(r, externalSecrets, soft);
        });
    }

    private static void noUnknownFields(Rendered r, SoftAssertions soft) {
        for (HasMetadata o : r.objects()) {
            Object typed = o;
            if (o instanceof GenericKubernetesResource g) {
                if (!o.getApiVersion().equals("kafka.strimzi.io/v1")) {
                    // CloudNativePG and its Barman Cloud plugin have no Java model: their CRDs' schemas instead
                    soft.assertThat(CrdSchema.knows(g)).as("%s: a schema for %s %s", r.source(), o.getApiVersion(),
                            o.getKind()).isTrue();
                    soft.assertThat(CrdSchema.violations(g)).as("%s: what the API server refuses in %s/%s",
                            r.source(), o.getKind(), o.getMetadata().getName()).isEmpty();
                    continue;
                }
                typed = Rendered.strimzi(g);
            }
            soft.assertThat(UnknownFields.of(typed)).as("%s: fields Kubernetes does not know in %s/%s",
                    r.source(), o.getKind(), o.getMetadata().getName()).isEmpty();
        }
    }

    /** Every pod the rendering runs: non-root, no capabilities, resources bounded, images pinned. */
    private static void everyWorkloadIsHardened(Rendered r, SoftAssertions soft) {
        Map<String, PodTemplateSpec> pods = pods(r);
        soft.assertThat(pods).as("%s: workloads", r.source()).isNotEmpty();
        pods.forEach((name, pod) -> {
            PodSpec spec = pod.getSpec();
            String what = r.source() + ": " + name;
            soft.assertThat(spec.getSecurityContext()).as("%s pod securityContext", what).isNotNull();
            if (spec.getSecurityContext() != null) {
                soft.assertThat(spec.getSecurityContext().getRunAsNonRoot()).as("%s runAsNonRoot", what).isTrue();
            }
            for (Container c : spec.getContainers()) {
                String cw = what + "/" + c.getName();
                soft.assertThat(c.getImage()).as("%s image pinned", cw).matches(".+:[A-Za-z0-9_][A-Za-z0-9_.-]*$|.+@sha256:[0-9a-f]{64}$")
                        .doesNotEndWith(":latest");
                soft.assertThat(c.getResources()).as("%s resources", cw).isNotNull();
                if (c.getResources() != null) {
                    soft.assertThat(c.getResources().getRequests()).as("%s requests", cw).containsKeys("cpu", "memory");
                    soft.assertThat(c.getResources().getLimits()).as("%s limits", cw).containsKeys("cpu", "memory");
                }
                soft.assertThat(c.getSecurityContext()).as("%s securityContext", cw).isNotNull();
                if (c.getSecurityContext() != null) {
                    soft.assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as("%s privilege escalation", cw).isFalse();
                    soft.assertThat(c.getSecurityContext().getCapabilities().getDrop()).as("%s dropped capabilities", cw)
                            .containsExactly("ALL");
                }
                if (!name.startsWith("Job/") && !name.startsWith("Pod/")) { // run once, to their end
                    soft.assertThat(c.getLivenessProbe()).as("%s livenessProbe", cw).isNotNull();
                    soft.assertThat(c.getReadinessProbe()).as("%s readinessProbe", cw).isNotNull();
                }
            }
        });
    }

    static Map<String, PodTemplateSpec> pods(Rendered r) {
        Map<String, PodTemplateSpec> pods = new LinkedHashMap<>();
        r.all(Deployment.class).forEach(d -> pods.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate()));
        r.all(StatefulSet.class).forEach(s -> pods.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate()));
        r.all(Job.class).forEach(j -> pods.put("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate()));
        r.all(Pod.class).forEach(p -> pods.put("Pod/" + p.getMetadata().getName(),
                new PodTemplateSpec(p.getMetadata(), p.getSpec())));
        return pods;
    }

    /** The viewer, simulator and persistence services as their application.properties and the design say. */
    private static void theThreeServices(Rendered r, String prefix, SoftAssertions soft) {
        for (String service : Checkout.SERVICES) {
            Deployment d = r.one(Deployment.class, prefix + service);
            String what = r.source() + ": " + service;
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            int port = Checkout.httpPort(service);
            int management = Checkout.managementPort(service);
            soft.assertThat(c.getImage()).as("%s image, as the build names it", what).endsWith(Checkout.image(service));
            soft.assertThat(c.getPorts()).as("%s container port = quarkus.http.port", what)
                    .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(port));
            // health and metrics only on the management interface, which no Service or Ingress exposes (below)
            soft.assertThat(management).as("%s: quarkus.management.enabled in its application.properties", what)
                    .isPositive();
            soft.assertThat(c.getPorts()).as("%s container port %s = quarkus.management.port", what, MANAGEMENT)
                    .anySatisfy(p -> {
                        assertThat(p.getName()).isEqualTo(MANAGEMENT);
                        assertThat(p.getContainerPort()).isEqualTo(management);
                    });
            probe(soft, what + " liveness", c.getLivenessProbe(), "/q/health/live", management);
            probe(soft, what + " readiness", c.getReadinessProbe(), "/q/health/ready", management);
            if (c.getStartupProbe() != null) {
                probe(soft, what + " startup", c.getStartupProbe(), "/q/health/started", management);
            }
            Map<String, String> podAnnotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
            if (podAnnotations != null && podAnnotations.containsKey("prometheus.io/port")) {
                soft.assertThat(podAnnotations.get("prometheus.io/port")).as("%s metrics scraped from the pod's"
                        + " management port", what).isEqualTo(String.valueOf(management));
            }
            soft.assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as("%s read-only root", what).isTrue();
            soft.assertThat(c.getVolumeMounts()).as("%s /tmp", what).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            soft.assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).as("%s /tmp is an emptyDir", what)
                    .anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());

            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            soft.assertThat(podLabels).as("%s selector matches its pods", what)
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            Service svc = r.one(Service.class, prefix + service);
            soft.assertThat(podLabels).as("%s Service selects the pods", what).containsAllEntriesOf(svc.getSpec().getSelector());
            soft.assertThat(svc.getSpec().getPorts()).as("%s Service port", what)
                    .anySatisfy(p -> assertThat(p.getPort()).isEqualTo(port));
            soft.assertThat(svc.getSpec().getPorts()).as("%s Service exposes no management port", what)
                    .noneSatisfy(p -> assertThat(toManagement(p.getTargetPort(), p.getPort(), management)).isTrue());
            PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, prefix + service);
            soft.assertThat(podLabels).as("%s PDB selects the pods", what)
                    .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());

            List<String> envNames = env(r, c).keySet().stream().toList();
            soft.assertThat(envNames).as("%s settings", what).contains("KAFKA_BOOTSTRAP_SERVERS");
            if (!service.equals("simulator-service")) {
                soft.assertThat(envNames).as("%s DB settings", what).contains("QUARKUS_DATASOURCE_REACTIVE_URL",
                        "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
            }
        }
        Container simulator = r.one(Deployment.class, prefix + "simulator-service").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        soft.assertThat(simulator.getEnv()).as("%s: simulator instance id from the pod name", r.source())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("LIVEPET_SIMULATOR_INSTANCE_ID");
                    assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
                });

        int mostSimulators = 0;
        for (String service : List.of("simulator-service", "viewer-service")) {
            // a service's autoscaler: an HPA, or a KEDA ScaledObject (which makes the HPA in the cluster)
            GenericKubernetesResource keda = r.custom("ScaledObject").stream()
                    .filter(o -> (prefix + service).equals(Rendered.field(o, "spec.scaleTargetRef.name")))
                    .findFirst().orElse(null);
            int min, max;
            if (keda != null) {
                soft.assertThat(r.all(HorizontalPodAutoscaler.class)).as("%s: KEDA's or the chart's autoscaler, not both", service)
                        .noneMatch(h -> h.getSpec().getScaleTargetRef().getName().equals(prefix + service));
                min = ((Number) Rendered.field(keda, "spec.minReplicaCount")).intValue();
                max = ((Number) Rendered.field(keda, "spec.maxReplicaCount")).intValue();
            } else {
                HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, prefix + service);
                soft.assertThat(hpa.getSpec().getScaleTargetRef().getName()).as("%s HPA target", service).isEqualTo(prefix + service);
                min = hpa.getSpec().getMinReplicas();
                max = hpa.getSpec().getMaxReplicas();
            }
            soft.assertThat(min).as("%s autoscaler min <= max", service).isLessThanOrEqualTo(max);
            soft.assertThat(r.one(Deployment.class, prefix + service).getSpec().getReplicas())
                    .as("%s: replicas left to the autoscaler (an apply would reset them)", service).isNull();
            if (service.equals("simulator-service")) {
                mostSimulators = max;
            }
        }
        int partitions = partitions(r);
        soft.assertThat(mostSimulators * 10)
                .as("%s: ten partitions per simulator at the most replicas (docs/architecture.md, \"The partition count\")", r.source())
                .isLessThanOrEqualTo(partitions);

        r.all(Ingress.class).forEach(ing -> {
            soft.assertThat(ing.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
                    .as("%s: ingress to the viewer", r.source()).isEqualTo(prefix + "viewer-service");
            noRouteToManagement(r, ing, soft);
            for (String timeout : List.of("nginx.ingress.kubernetes.io/proxy-read-timeout",
                    "nginx.ingress.kubernetes.io/proxy-send-timeout")) {
                soft.assertThat(Integer.parseInt(ing.getMetadata().getAnnotations().getOrDefault(timeout, "0")))
                        .as("%s: %s keeps live WebSockets open", r.source(), timeout).isGreaterThanOrEqualTo(3600);
            }
        });
        soft.assertThat(r.all(Ingress.class)).as("%s: one ingress", r.source()).hasSize(1);
    }

    private static void probe(SoftAssertions soft, String what, Probe p, String path, int management) {
        soft.assertThat(p).as(what).isNotNull();
        if (p != null) {
            soft.assertThat(p.getHttpGet()).as(what + " over HTTP").isNotNull();
            if (p.getHttpGet() != null) {
                soft.assertThat(p.getHttpGet().getPath()).as(what + " path").isEqualTo(path);
                soft.assertThat(toManagement(p.getHttpGet().getPort(), null, management))
                        .as(what + " on the management port (%s: %s)", MANAGEMENT, p.getHttpGet().getPort()).isTrue();
            }
        }
    }

    /** Whether a port (by name, or by number; or, without a target, the Service's own number) is the management one. */
    private static boolean toManagement(IntOrString target, Integer port, int management) {
        if (target == null) {
            return port != null && port == management;
        }
        return MANAGEMENT.equals(target.getStrVal()) || Objects.equals(target.getIntVal(), management);
    }

    /**
     * No path of an Ingress reaches a management interface: each backend is a Service port of the rendering whose
     * target is not the pods' management port (by name or number), so health and metrics never face the internet.
     */
    private static void noRouteToManagement(Rendered r, Ingress ing, SoftAssertions soft) {
        List<IngressBackend> backends = new ArrayList<>();
        if (ing.getSpec().getDefaultBackend() != null) {
            backends.add(ing.getSpec().getDefaultBackend());
        }
        ing.getSpec().getRules().stream().filter(rule -> rule.getHttp() != null)
                .forEach(rule -> rule.getHttp().getPaths().forEach(path -> backends.add(path.getBackend())));
        for (IngressBackend backend : backends) {
            String what = r.source() + ": ingress " + ing.getMetadata().getName() + " to " + backend.getService().getName();
            Service svc = r.one(Service.class, backend.getService().getName());
            ServiceBackendPort wanted = backend.getService().getPort();
            List<ServicePort> routed = svc.getSpec().getPorts().stream()
                    .filter(p -> wanted.getName() != null ? wanted.getName().equals(p.getName())
                            : Objects.equals(wanted.getNumber(), p.getPort()))
                    .toList();
            soft.assertThat(routed).as("%s: a port of its Service", what).hasSize(1);
            routed.forEach(p -> soft.assertThat(Checkout.SERVICES.stream()
                            .anyMatch(s -> toManagement(p.getTargetPort(), p.getPort(), Checkout.managementPort(s))))
                    .as("%s: port %s routes to a management interface", what, p.getName()).isFalse());
        }
    }

    /**
     * Every ConfigMap and Secret a pod reads (in its env or as a volume) exists in the rendering, is one Strimzi
     * makes for a rendered object (a KafkaUser's of its name, a Kafka's {@code <name>-cluster-ca-cert}), or is one of
     * the external secrets.
     */
    private static void references(Rendered r, Set<String> externalSecrets, SoftAssertions soft) {
        List<String> configMaps = r.all(ConfigMap.class).stream().map(m -> m.getMetadata().getName()).toList();
        List<String> secrets = new ArrayList<>(r.all(Secret.class).stream().map(s -> s.getMetadata().getName()).toList());
        r.custom("KafkaUser").forEach(u -> secrets.add(u.getMetadata().getName()));
        r.custom("Kafka").forEach(k -> secrets.add(k.getMetadata().getName() + "-cluster-ca-cert"));
        externalSecrets.forEach(s -> soft.assertThat(secrets).as("%s: external secrets are not rendered", r.source())
                .doesNotContain(s));
        pods(r).forEach((name, pod) -> pod.getSpec().getContainers().forEach(c -> {
            List<String> cm = new ArrayList<>();
            List<String> sec = new ArrayList<>();
            if (c.getEnvFrom() != null) {
                c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null).forEach(e -> cm.add(e.getConfigMapRef().getName()));
                c.getEnvFrom().stream().filter(e -> e.getSecretRef() != null).forEach(e -> sec.add(e.getSecretRef().getName()));
            }
            if (c.getEnv() != null) {
                c.getEnv().stream().map(EnvVar::getValueFrom).filter(Objects::nonNull).forEach(v -> {
                    if (v.getConfigMapKeyRef() != null) {
                        cm.add(v.getConfigMapKeyRef().getName());
                    }
                    if (v.getSecretKeyRef() != null) {
                        sec.add(v.getSecretKeyRef().getName());
                    }
                });
            }
            if (pod.getSpec().getVolumes() != null) {
                pod.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null)
                        .forEach(v -> sec.add(v.getSecret().getSecretName()));
                pod.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
                        .forEach(v -> cm.add(v.getConfigMap().getName()));
            }
            soft.assertThat(configMaps).as("%s: %s reads ConfigMaps", r.source(), name).containsAll(cm);
            soft.assertThat(Stream.concat(secrets.stream(), externalSecrets.stream()).toList())
                    .as("%s: %s reads Secrets", r.source(), name).containsAll(sec);
        }));
    }

    /** A container's settings as the pod sees them: envFrom ConfigMaps resolved, then env (value or "<ref>"). */
    static Map<String, String> env(Rendered r, Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        if (c.getEnvFrom() != null) {
            c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
                    .forEach(e -> r.find(ConfigMap.class, e.getConfigMapRef().getName())
                            .ifPresent(m -> env.putAll(m.getData())));
        }
        if (c.getEnv() != null) {
            c.getEnv().forEach(e -> env.put(e.getName(), e.getValue() != null ? e.getValue() : "<ref>"));
        }
        return env;
    }

    /**
     * The partition count both pet topics get in this rendering: from Strimzi KafkaTopics if there are any,
     * else from the topic-creation Job's PARTITIONS setting. Also checks that the two topics agree.
     */
    static int partitions(Rendered r) {
        List<GenericKubernetesResource> topics = r.custom("KafkaTopic");
        if (!topics.isEmpty()) {
            Map<String, GenericKubernetesResource> byTopic = new LinkedHashMap<>();
            topics.forEach(t -> byTopic.put(Objects.toString(Rendered.field(t, "spec.topicName"), t.getMetadata().getName()), t));
            assertThat(byTopic).as("%s: KafkaTopics", r.source()).containsOnlyKeys(TopicNames.ALL);
            Object commands = Rendered.field(byTopic.get(TopicNames.COMMANDS), "spec.partitions");
            Object state = Rendered.field(byTopic.get(TopicNames.STATE), "spec.partitions");
            assertThat(state).as("%s: pet-state partitions = pet-commands partitions", r.source()).isEqualTo(commands);
            assertThat(Rendered.field(byTopic.get(TopicNames.SNAPSHOTS), "spec.partitions"))
                    .as("%s: pet-snapshots partitions = pet-commands partitions", r.source()).isEqualTo(commands);
            assertThat(Rendered.field(byTopic.get(TopicNames.SNAPSHOTS), "spec.config.[cleanup.policy]"))
                    .as("%s: pet-snapshots is compacted", r.source()).isEqualTo("compact");
            assertThat(Rendered.field(byTopic.get(TopicNames.STATE), "spec.config.[cleanup.policy]"))
                    .as("%s: pet-state is compacted", r.source()).isEqualTo("compact");
            assertThat(commands).as("%s: partitions are an integer", r.source()).isInstanceOf(Integer.class);
            return (Integer) commands;
        }
        List<Job> jobs = r.all(Job.class);
        assertThat(jobs).as("%s: a topic-creation Job or KafkaTopics", r.source()).hasSize(1);
        Container c = jobs.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
        TopicNames.assertCreatesTopics(r.source(), String.join("\n", c.getCommand()));
        EnvVar partitions = c.getEnv().stream().filter(e -> e.getName().equals("PARTITIONS")).findFirst().orElseThrow();
        if (partitions.getValue() != null) {
            return Integer.parseInt(partitions.getValue());
        }
        String map = partitions.getValueFrom().getConfigMapKeyRef().getName();
        return Integer.parseInt(r.one(ConfigMap.class, map).getData()
                .get(partitions.getValueFrom().getConfigMapKeyRef().getKey()));
    }
}
