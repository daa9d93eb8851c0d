package dev.livepet.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * The tick records a benchmark read of each partition: every partition's clock goes 1, 2, 3, … with no gap and no
 * repeat, one tick per tick interval when the world lives at full speed. The first tick read of a partition (the
 * reader may start anywhere) is where its counting starts.
 */
final class PartitionClocks {
    private final Map<Integer, Long> last = new HashMap<>();
    private long ticks;
    private long missed;
    private long repeated;

    /** Tick {@code tick} of {@code partition}, in the order the partition holds them. */
    synchronized void tick(int partition, long tick) {
        Long before = last.get(partition);
        if (before != null) {
            if (tick <= before) {
                repeated++;
                return;
            }
            missed += tick - before - 1;
        }
        last.put(partition, tick);
        ticks++;
    }

    /** Tick records counted (repeats not included). */
    synchronized long ticks() {
        return ticks;
    }

    /** Tick numbers a partition jumped over. */
    synchronized long missed() {
        return missed;
    }

    /** Tick records whose number was not above the partition's last. */
    synchronized long repeated() {
        return repeated;
    }

    /** Each partition's last tick read. */
    synchronized Map<Integer, Long> lastTicks() {
        return Map.copyOf(last);
    }

    /**
     * How fast the world lived: {@code ticks} tick records in {@code seconds}, against one per partition per
     * {@code intervalSeconds}; 1.0 is full speed.
     */
    static double pace(long ticks, double seconds, int partitions, double intervalSeconds) {
        double expected = partitions * seconds / intervalSeconds;
        return expected <= 0 ? 0 : ticks / expected;
    }
}
