package dev.livepet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus names of the services' own Micrometer meters, read from their Java sources in this checkout: a
 * meter {@code livepet.viewer.watched.pets} becomes {@code livepet_viewer_watched_pets}, with Micrometer's
 * suffixes by kind ({@code _total} for a counter; {@code _seconds} and its {@code _count}, {@code _sum},
 * {@code _max} for a timer; {@code _bucket} where the meter publishes a histogram or SLO buckets).
 */
final class MeterNames {
    /** A meter built with Micrometer's builders, up to its register call (where its histogram is decided). */
    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Timer|Counter|Gauge|DistributionSummary|MultiGauge)\\.builder\\(\\s*\"(livepet\\.[a-z0-9.]+)\"(.*?)\\.register\\(",
            Pattern.DOTALL);
    /** The simulator's gauge(registry, "name", ...) helper. */
    private static final Pattern GAUGE_HELPER = Pattern.compile("\\bgauge\\(\\s*\\w+,\\s*\"(livepet\\.[a-z0-9.]+)\"");

    private MeterNames() {
    }

    static Set<String> prometheusNames() {
        Set<String> names = new TreeSet<>();
        for (String service : Checkout.SERVICES) {
            for (String source : sources(Checkout.path(service + "/src/main/java"))) {
                Matcher m = BUILDER.matcher(source);
                while (m.find()) {
                    names.addAll(names(m.group(1), m.group(2), m.group(3)));
                }
                Matcher g = GAUGE_HELPER.matcher(source);
                while (g.find()) {
                    names.add(base(g.group(1)));
                }
            }
        }
        return names;
    }

    private static Set<String> names(String kind, String meter, String chain) {
        String base = base(meter);
        boolean buckets = chain.contains("publishPercentileHistogram") || chain.contains("serviceLevelObjectives");
        return switch (kind) {
            case "Counter" -> Set.of(base + "_total");
            case "Gauge", "MultiGauge" -> Set.of(base);
            case "Timer" -> withStatistics(base + "_seconds", buckets);
            case "DistributionSummary" -> withStatistics(base, buckets);
            default -> throw new AssertionError(kind);
        };
    }

    private static Set<String> withStatistics(String name, boolean buckets) {
        Set<String> names = new TreeSet<>(Set.of(name, name + "_count", name + "_sum", name + "_max"));
        if (buckets) {
            names.add(name + "_bucket");
        }
        return names;
    }

    private static String base(String meter) {
        return meter.replace('.', '_');
    }

    private static Set<String> sources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            Set<String> sources = new java.util.LinkedHashSet<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.add(Files.readString(f));
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
