package dev.livepet.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

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
        return template(helm(), source, valuesFile, sets);
    }

    private static Rendered template(Helm helm, String source, String valuesFile, Map<String, Object> sets) {
        TemplateCommand t = helm.template().withName(RELEASE).withNamespace("livepet");
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

    /**
     * The chart's hooks too (the helm test Pods, the topics Job): helm-java's template leaves every object with a
     * {@code helm.sh/hook} annotation out, so this renders a copy of the chart in which that annotation is named
     * {@link #HOOK} instead, nothing else changed.
     */
    static Rendered withHooks(String source, String valuesFile, Map<String, Object> sets) {
        Path copy = Checkout.path("deploy-tests/target/chart-with-hooks/livepet");
        try {
            if (Files.exists(copy)) {
                try (Stream<Path> old = Files.walk(copy)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Path chart = Checkout.path("helm/livepet");
            try (Stream<Path> files = Files.walk(chart)) {
                for (Path from : files.toList()) {
                    Path to = copy.resolve(chart.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.writeString(to, Files.readString(from).replace("helm.sh/hook:", HOOK + ":"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return template(new Helm(copy), source, valuesFile, sets);
    }

    /** What {@link #withHooks} calls the {@code helm.sh/hook} annotation. */
    static final String HOOK = "deploy-tests.livepet.dev/helm-hook";

    static Rendered prod() {
        return template("helm (values-prod.yaml)", "values-prod.yaml", Map.of());
    }
}
