package dev.livepet.persistence.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tick lane between two flushes: tick-only states coalesced by pet (the highest version wins), and the
 * acknowledgements of the batches they came from, which may only be given once a flush has written them.
 * Thread-safe: batches arrive on the consumer's thread, flushes drain from a timer.
 *
 * @param <A> how a batch is acknowledged (a Kafka batch in the service, anything in a test)
 */
public final class PendingTicks<A> {
    private Map<Long, LatestState> byPet = new HashMap<>();
    private List<A> waiting = new ArrayList<>();
    private long oldestSince = -1;

    /**
     * Holds a batch's tick-only states until the next flush; its acknowledgement waits for that flush.
     *
     * @param now when the batch arrived (any clock), for {@link #oldestSince()}
     * @return how many pets wait now
     */
    public synchronized int hold(Collection<LatestState> ticks, A acknowledgement, long now) {
        for (LatestState tick : ticks) {
            byPet.merge(tick.state().id(), tick, LatestState::merge);
        }
        waiting.add(acknowledgement);
        if (oldestSince < 0) {
            oldestSince = now;
        }
        return byPet.size();
    }

    /** Takes everything pending, leaving the lane empty for the batches that arrive meanwhile. */
    public synchronized Flush<A> drain() {
        Flush<A> flush = new Flush<>(List.copyOf(byPet.values()), List.copyOf(waiting));
        byPet = new HashMap<>();
        waiting = new ArrayList<>();
        oldestSince = -1;
        return flush;
    }

    /** How many pets wait for the next flush. */
    public synchronized int pets() {
        return byPet.size();
    }

    /** When the oldest batch still waiting arrived (the clock given to {@link #hold}), -1 if none waits. */
    public synchronized long oldestSince() {
        return oldestSince;
    }

    /**
     * What one flush writes and then acknowledges.
     *
     * @param states          one newest state per pet
     * @param acknowledgements the batches whose offsets may be committed once the states are in PostgreSQL
     */
    public record Flush<A>(List<LatestState> states, List<A> acknowledgements) {
        public boolean isEmpty() {
            return states.isEmpty() && acknowledgements.isEmpty();
        }

        /** The states cut into statements of at most {@code size} pets. */
        public List<List<LatestState>> chunks(int size) {
            List<List<LatestState>> chunks = new ArrayList<>();
            for (int from = 0; from < states.size(); from += size) {
                chunks.add(states.subList(from, Math.min(states.size(), from + size)));
            }
            return chunks;
        }
    }
}
