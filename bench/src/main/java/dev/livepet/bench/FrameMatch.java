package dev.livepet.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A state's start time (its event or tick time, or the time the feed that made it was due) and the arrival of the
 * frame that shows it, matched by the frame's identity (pet, version, tick) in either order: the latency once both are
 * in. The benchmark's own reader and the viewer race, so either side may come first.
 */
final class FrameMatch {
    /** What a frame shows: {@code version V, tick T} of a pet. */
    record Frame(long petId, long version, long tick) {
    }

    private final Map<Frame, Long> starts = new HashMap<>();
    private final Map<Frame, Long> arrivals = new HashMap<>();
    private final LongConsumer latencies;
    private long forgottenStarts;

    FrameMatch(LongConsumer latencies) {
        this.latencies = latencies;
    }

    synchronized void started(long petId, long version, long tick, long startMillis) {
        match(new Frame(petId, version, tick), startMillis, starts, arrivals, false);
    }

    synchronized void arrived(long petId, long version, long tick, long arrivedMillis) {
        match(new Frame(petId, version, tick), arrivedMillis, arrivals, starts, true);
    }

    // the other side's time if it came first (the latency), else this side's, to wait for it
    private void match(Frame frame, long millis, Map<Frame, Long> mine, Map<Frame, Long> theirs, boolean isArrival) {
        Long other = theirs.remove(frame);
        if (other == null) {
            mine.putIfAbsent(frame, millis);
        } else {
            latencies.accept(isArrival ? millis - other : other - millis);
        }
    }

    /** States no frame has shown yet, those given up on included. */
    synchronized long unshown() {
        return starts.size() + forgottenStarts;
    }

    /** Forgets frames that arrived before a time and were never claimed: they show states nobody times. */
    synchronized void forgetArrivalsBefore(long millis) {
        arrivals.values().removeIf(arrived -> arrived < millis);
    }

    /** Gives up on states started before a time that no frame showed (still counted as unshown). */
    synchronized void forgetStartsBefore(long millis) {
        int before = starts.size();
        starts.values().removeIf(started -> started < millis);
        forgottenStarts += before - starts.size();
    }
}
