package dev.livepet.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.util.Map;

/** helm/livepet rendered in-JVM by helm-java (Helm's own Go code, linked natively), as release "livepet". */
final class Chart {
    static final String RELEASE = "livepet";
    static final String PREFIX = RELEASE + "-";

    private Chart() {
    }

    static {
        FakeKubernetes.start(); // the chart looks its secrets up in the cluster, as an upgrade does
    }

    static Helm helm() {
        return new Helm(Checkout.path("helm/livepet"));
    }

    static Rendered template(String source, String valuesFile, Map<String, Object> sets) {
        TemplateCommand t = helm().template().withName(RELEASE).withNamespace("livepet");
        if (valuesFile != null) {
            t = t.withValuesFile(Checkout.path("helm/livepet/" + valuesFile));
        }
        for (var set : sets.entrySet()) {
            t = t.set(set.getKey(), set.getValue());
        }
        return Rendered.parse(source, t.call());
    }

    /**
     * The default values, with the topic-creation Job as a plain Job: helm-java's template leaves hooks out of
     * its output (unlike the helm CLI), so the Job could not be checked otherwise.
     */
    static Rendered defaults() {
        return template("helm (values.yaml)", null, Map.of("kafka.topics.helmHook", false));
    }

    static Rendered prod() {
        return template("helm (values-prod.yaml)", "values-prod.yaml", Map.of());
    }
}
