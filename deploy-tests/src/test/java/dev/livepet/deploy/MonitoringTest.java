package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's "see it" objects (monitoring.enabled): PodMonitors for the services, Strimzi and CloudNativePG,
 * the PrometheusRule and the Grafana dashboard. They render only when asked, validate against
 * prometheus-operator's CRDs (vendored), select the pods and ports they mean, and every LivePet metric their
 * PromQL names is a meter the services' sources register.
 */
class MonitoringTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization MODEL = new KubernetesSerialization();
    private static final Pattern LIVEPET_METRIC = Pattern.compile("\\blivepet_[a-z0-9_]+");

    @Test
    void nothingRendersUnlessAsked() {
        Rendered defaults = Chart.defaults();
        Rendered operatorsWithout = Chart.template("helm (operators, no monitoring)", "values-prod.yaml",
                Map.of("monitoring.enabled", false));

        for (Rendered r : List.of(defaults, operatorsWithout)) {
            assertThat(r.custom("PodMonitor")).as(r.source()).isEmpty();
            assertThat(r.custom("PrometheusRule")).as(r.source()).isEmpty();
            assertThat(r.all(ConfigMap.class)).as(r.source()).extracting(c -> c.getMetadata().getName())
                    .doesNotContain("livepet-dashboard", "livepet-kafka-metrics");
        }
        GenericKubernetesResource kafka = operatorsWithout.custom("Kafka").get(0);
        assertThat(Rendered.field(kafka, "spec.kafka.metricsConfig")).isNull();
        assertThat(Rendered.field(kafka, "spec.kafkaExporter")).isNull();
    }

    @Test
    void productionScrapesTheServicesKafkaAndPostgres() {
        Rendered prod = Chart.prod();

        assertSoftly(soft -> {
            for (GenericKubernetesResource monitor : prod.custom("PodMonitor")) {
                soft.assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
                soft.assertThat(CrdSchema.violations(monitor)).as("PodMonitor %s against the CRD",
                        monitor.getMetadata().getName()).isEmpty();
            }
            soft.assertThat(UnknownFields.of(Rendered.strimzi(prod.custom("Kafka").get(0)))).as("Kafka").isEmpty();
        });
        assertThat(prod.custom("PodMonitor")).extracting(m -> m.getMetadata().getName())
                .containsExactlyInAnyOrder("livepet-services", "livepet-kafka", "livepet-pg");

        // the services: every pod, on its management port, at Quarkus' metrics path
        GenericKubernetesResource services = monitor(prod, "livepet-services");
        assertThat(endpoint(services)).containsEntry("port", WorkloadRules.MANAGEMENT).containsEntry("path", "/q/metrics");
        for (Deployment d : prod.all(Deployment.class)) {
            assertThat(IngressPeers.matches(selector(services), d.getSpec().getTemplate().getMetadata().getLabels()))
                    .as("%s scraped", d.getMetadata().getName()).isTrue();
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                    .extracting(ContainerPort::getName).contains(WorkloadRules.MANAGEMENT);
        }

        // Strimzi: the brokers' JMX metrics by a ConfigMap of rules, and the Kafka exporter
        GenericKubernetesResource kafka = prod.custom("Kafka").get(0);
        assertThat(Rendered.field(kafka, "spec.kafka.metricsConfig.type")).isEqualTo("jmxPrometheusExporter");
        String rulesMap = (String) Rendered.field(kafka, "spec.kafka.metricsConfig.valueFrom.configMapKeyRef.name");
        String rulesKey = (String) Rendered.field(kafka, "spec.kafka.metricsConfig.valueFrom.configMapKeyRef.key");
        assertThat(prod.one(ConfigMap.class, rulesMap).getData().get(rulesKey)).contains("rules:");
        assertThat(Rendered.field(kafka, "spec.kafkaExporter.groupRegex")).isEqualTo("livepet-.*");
        GenericKubernetesResource brokers = monitor(prod, "livepet-kafka");
        assertThat(IngressPeers.matches(selector(brokers), IngressPeers.kafkaBroker(kafka.getMetadata().getName()).labels()))
                .as("the broker pods scraped").isTrue();
        assertThat(endpoint(brokers)).containsEntry("port", "tcp-prometheus");

        // CloudNativePG: its own PodMonitor (spec.monitoring.enablePodMonitor is deprecated)
        GenericKubernetesResource pg = prod.custom("Cluster").get(0);
        assertThat(Rendered.field(pg, "spec.monitoring")).as("no deprecated enablePodMonitor").isNull();
        GenericKubernetesResource instances = monitor(prod, "livepet-pg");
        assertThat(IngressPeers.matches(selector(instances), IngressPeers.postgres(pg.getMetadata().getName()).labels()))
                .as("the PostgreSQL instances scraped").isTrue();
        assertThat(endpoint(instances)).containsEntry("port", "metrics");
    }

    @Test
    void theAlertsAndTheDashboardRenderAndValidate() {
        Rendered prod = Chart.prod();

        GenericKubernetesResource rule = prod.custom("PrometheusRule").get(0);
        assertThat(CrdSchema.violations(rule)).isEmpty();
        assertThat(alerts(rule)).containsExactlyInAnyOrder("LivepetTicksLate", "LivepetTicksSkipped",
                "LivepetConsumerLag", "LivepetDeadLetters", "LivepetViewerPoisonRecords", "LivepetPersistenceDelay",
                "LivepetPostgresOutage");
        assertThat(ruleExpressions(rule)).allSatisfy(expr -> assertThat(expr).as("one release's pods")
                .contains("namespace=\"" + IngressPeers.NAMESPACE + "\""));

        ConfigMap dashboard = prod.one(ConfigMap.class, "livepet-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).as("Grafana's sidecar label").containsEntry("grafana_dashboard", "1");
        JsonNode json = dashboard(dashboard);
        List<String> titles = new ArrayList<>();
        json.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        assertThat(titles).contains("Ticks on time", "Consumer lag per partition", "Feed to browser (server side)",
                "Watchers", "Dead letters", "Persistence delay");

        Rendered noDashboard = Chart.template("helm (no dashboard)", "values-prod.yaml",
                Map.of("monitoring.dashboard.enabled", false));
        assertThat(noDashboard.find(ConfigMap.class, "livepet-dashboard")).isEmpty();
        assertThat(noDashboard.custom("PrometheusRule")).hasSize(1);
    }

    @Test
    void withAnExternalKafkaAndPostgresOnlyTheServicesAreScraped() {
        Rendered external = Chart.template("helm (monitoring, external)", null, Map.of("monitoring.enabled", true,
                "monitoring.labels.release", "kube-prometheus-stack"));

        assertThat(external.custom("PodMonitor")).singleElement().satisfies(m -> {
            assertThat(m.getMetadata().getName()).isEqualTo("livepet-services");
            assertThat(m.getMetadata().getLabels()).as("the Prometheus' selector label")
                    .containsEntry("release", "kube-prometheus-stack");
        });
        assertThat(external.custom("PrometheusRule")).singleElement().satisfies(r -> assertThat(r.getMetadata()
                .getLabels()).containsEntry("release", "kube-prometheus-stack"));
        assertThat(external.find(ConfigMap.class, "livepet-kafka-metrics")).isEmpty();
    }

    /** A renamed meter fails here: every livepet_* name in the alerts and the dashboard is a meter of the sources. */
    @Test
    void everyLivepetMetricUsedIsAMeterOfTheServices() {
        Rendered prod = Chart.prod();
        Set<String> meters = MeterNames.prometheusNames();
        assertThat(meters).as("the meters found in the sources").contains("livepet_simulator_tick_lateness_seconds_bucket",
                "livepet_persistence_dead_letters_total", "livepet_viewer_watched_pets");

        Set<String> used = new TreeSet<>();
        for (String expr : expressions(prod)) {
            Matcher m = LIVEPET_METRIC.matcher(expr);
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(used).as("livepet metrics in the alerts and the dashboard").hasSizeGreaterThan(10);
        assertThat(meters).as("Micrometer meters of the services' sources").containsAll(used);
    }

    @Test
    void everyExpressionIsBalanced() {
        List<String> expressions = expressions(Chart.prod());

        assertThat(expressions).hasSizeGreaterThan(15).allSatisfy(expr ->
                assertThat(unbalanced(expr)).as("PromQL %s", expr).isNull());
    }

    /** Every PromQL expression: the PrometheusRule's and the dashboard's (targets and variables). */
    private static List<String> expressions(Rendered r) {
        List<String> all = new ArrayList<>(ruleExpressions(r.custom("PrometheusRule").get(0)));
        JsonNode dashboard = dashboard(r.one(ConfigMap.class, "livepet-dashboard"));
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> all.add(t.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(v -> {
            if (v.has("definition")) {
                all.add(v.path("definition").asText());
            }
        });
        return all;
    }

    /** null when every (, [ and { outside a string is closed in order, else what is wrong. */
    static String unbalanced(String promql) {
        Deque<Character> open = new ArrayDeque<>();
        char quote = 0;
        for (int i = 0; i < promql.length(); i++) {
            char c = promql.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '"', '\'', '`' -> quote = c;
                case '(', '[', '{' -> open.push(c);
                case ')', ']', '}' -> {
                    char wanted = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (open.isEmpty() || open.pop() != wanted) {
                        return "an unmatched " + c + " at " + i;
                    }
                }
                default -> {
                }
            }
        }
        if (quote != 0) {
            return "an unclosed " + quote;
        }
        return open.isEmpty() ? null : "unclosed " + open;
    }

    @SuppressWarnings("unchecked")
    private static List<String> ruleExpressions(GenericKubernetesResource rule) {
        List<String> exprs = new ArrayList<>();
        for (Object group : (List<Object>) Rendered.field(rule, "spec.groups")) {
            for (Object r : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                exprs.add(String.valueOf(((Map<String, Object>) r).get("expr")));
            }
        }
        return exprs;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alerts(GenericKubernetesResource rule) {
        List<String> alerts = new ArrayList<>();
        for (Object group : (List<Object>) Rendered.field(rule, "spec.groups")) {
            for (Object r : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                alerts.add(String.valueOf(((Map<String, Object>) r).get("alert")));
            }
        }
        return alerts;
    }

    private static JsonNode dashboard(ConfigMap map) {
        try {
            return JSON.readTree(map.getData().get("livepet.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GenericKubernetesResource monitor(Rendered r, String name) {
        return r.custom("PodMonitor").stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no PodMonitor " + name));
    }

    private static LabelSelector selector(GenericKubernetesResource monitor) {
        return MODEL.convertValue(Rendered.field(monitor, "spec.selector"), LabelSelector.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpoint(GenericKubernetesResource monitor) {
        List<Object> endpoints = (List<Object>) Rendered.field(monitor, "spec.podMetricsEndpoints");
        assertThat(endpoints).as(monitor.getMetadata().getName()).hasSize(1);
        return (Map<String, Object>) endpoints.get(0);
    }
}
