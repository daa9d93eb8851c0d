package dev.livepet.stack;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A state's start time (its event time, or the send time of the feed that made it) and the arrival of the frame
 * that shows it, by (pet, version), in either order: the latency once both are in. The benchmark's own reader and
 * the viewer race, so either side may come first.
 */
final class FrameMatch {
    private final Map<Long, Long> starts = new HashMap<>();
    private final Map<Long, Long> arrivals = new HashMap<>();
    private final LongConsumer latencies;

    FrameMatch(LongConsumer latencies) {
        this.latencies = latencies;
    }

    synchronized void started(long petId, long version, long startMillis) {
        match(BenchWatchers.key(petId, version), startMillis, starts, arrivals, false);
    }

    synchronized void arrived(long petId, long version, long arrivedMillis) {
        match(BenchWatchers.key(petId, version), arrivedMillis, arrivals, starts, true);
    }

    // the other side's time if it came first (the latency), else this side's, to wait for it
    private void match(long key, long millis, Map<Long, Long> mine, Map<Long, Long> theirs, boolean isArrival) {
        Long other = theirs.remove(key);
        if (other == null) {
            mine.put(key, millis);
        } else {
            latencies.accept(isArrival ? millis - other : other - millis);
        }
    }

    /** States no frame has shown yet. */
    synchronized int unshown() {
        return starts.size();
    }

    /** Forgets frames that arrived before a time and were never claimed: they show states nobody times. */
    synchronized void forgetArrivalsBefore(long millis) {
        arrivals.values().removeIf(arrived -> arrived < millis);
    }
}
