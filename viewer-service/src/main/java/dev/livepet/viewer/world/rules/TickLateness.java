package dev.livepet.viewer.world.rules;

import java.util.HashMap;
import java.util.Map;

/**
 * How late partitions tick, from their tick records alone: a partition's tick is due one interval after its previous
 * tick, so the gap between two consecutive ticks' times beyond the interval is how late the second one came. Only
 * consecutive tick numbers say anything: ticks the reader skipped make a gap of several intervals. A gap longer than
 * {@code stoppedAfter} is a stopped world (downtime does not age pets), not a late tick. Not thread-safe: the
 * stream's one thread feeds it.
 */
public final class TickLateness {
    private final long intervalMillis;
    private final long stoppedAfterMillis;
    // per partition: {tick number, at} of the newest tick seen
    private final Map<Integer, long[]> last = new HashMap<>();

    public TickLateness(long intervalMillis, long stoppedAfterMillis) {
        if (intervalMillis <= 0 || stoppedAfterMillis < intervalMillis) {
            throw new IllegalArgumentException("need a tick interval > 0 and stopped-after >= the interval");
        }
        this.intervalMillis = intervalMillis;
        this.stoppedAfterMillis = stoppedAfterMillis;
    }

    /**
     * Tick {@code tick} of {@code partition}, which happened at {@code atMillis}: how late it came in milliseconds
     * (0 when on time or early), or -1 when it says nothing (the partition's first tick seen, one after a gap in the
     * numbers or after a stop, or an older tick than one already seen).
     */
    public long tick(int partition, long tick, long atMillis) {
        long[] previous = last.get(partition);
        if (previous != null && tick <= previous[0]) {
            return -1;
        }
        last.put(partition, new long[]{tick, atMillis});
        if (previous == null || tick != previous[0] + 1) {
            return -1;
        }
        long gap = atMillis - previous[1];
        if (gap < 0 || gap > stoppedAfterMillis) {
            return -1;
        }
        return Math.max(0, gap - intervalMillis);
    }
}
