package dev.livepet.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's tick lateness between two scrapes of its {@code /q/metrics} (on its management port): ticks
 * counted, the share started within an on-time bound and p50/p99, from the
 * {@code livepet_simulator_tick_lateness_seconds} histogram's buckets.
 */
record TickLateness(double count, double onTimePercent, String p50, String p99) {
    private static final String NAME = "livepet_simulator_tick_lateness_seconds";
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    static TickLateness between(Map<String, Double> before, Map<String, Double> after, double onTimeMillis) {
        double count = delta(before, after, NAME + "_count");
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String name : after.keySet()) {
            if (name.startsWith(NAME + "_bucket")) {
                Matcher le = LE.matcher(name);
                if (le.find()) {
                    double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                    buckets.put(bound, delta(before, after, name));
                }
            }
        }
        if (count <= 0 || buckets.isEmpty()) {
            return new TickLateness(count, 0, "n/a", "n/a");
        }
        double onTime = buckets.floorEntry(onTimeMillis / 1000.0 + 1e-9) == null ? 0
                : buckets.floorEntry(onTimeMillis / 1000.0 + 1e-9).getValue();
        return new TickLateness(count, 100.0 * onTime / count, quantile(buckets, count, 0.5), quantile(buckets, count, 0.99));
    }

    private static String quantile(TreeMap<Double, Double> buckets, double count, double q) {
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            if (e.getValue() >= q * count) {
                return e.getKey().isInfinite() ? "> 5 s" : String.format("≤ %.0f ms", e.getKey() * 1000);
            }
        }
        return "n/a";
    }

    static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }
}
