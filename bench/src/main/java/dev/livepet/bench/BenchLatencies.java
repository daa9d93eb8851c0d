package dev.livepet.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Latencies of a benchmark in milliseconds, kept in chunks so that a long run never copies a huge array. */
final class BenchLatencies {
    private final List<long[]> chunks = new ArrayList<>();
    private long[] current = new long[1 << 16];
    private int count;

    synchronized void record(long latencyMillis) {
        if (count == current.length) {
            chunks.add(current);
            current = new long[current.length];
            count = 0;
        }
        current[count++] = latencyMillis;
    }

    synchronized int total() {
        return chunks.size() * current.length + count;
    }

    /** The latencies recorded after the first {@code from}, sorted. */
    synchronized long[] snapshot(int from) {
        long[] all = new long[total()];
        int at = 0;
        for (long[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        System.arraycopy(current, 0, all, at, count);
        long[] since = Arrays.copyOfRange(all, Math.min(from, all.length), all.length);
        Arrays.sort(since);
        return since;
    }

    /**
     * The q-quantile of {@code sorted} together with {@code unsent} requests that never went out, ranked above every
     * answer: when they reach the quantile it is "not sent" rather than a figure that pretends they never existed.
     */
    static String percentile(long[] sorted, long unsent, double q) {
        long all = sorted.length + unsent;
        if (all == 0) {
            return "n/a";
        }
        long index = (long) Math.min(all - 1, Math.max(0, Math.ceil(q * all) - 1));
        return index < sorted.length ? sorted[(int) index] + " ms" : "not sent";
    }

    static String percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return "n/a";
        }
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[index] + " ms";
    }
}
