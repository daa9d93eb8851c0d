package dev.livepet.persistence.domain;

import com.carrotsearch.hppc.LongObjectHashMap;
import com.carrotsearch.hppc.cursors.ObjectCursor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The tick lane between two flushes: tick-only states coalesced by pet (the highest version wins), and the
 * acknowledgements of the batches they came from, which may only be given once a flush has written them.
 * Thread-safe: batches arrive on the consumer's thread, flushes drain from a timer.
 *
 * @param <A> how a batch is acknowledged (a Kafka batch in the service, anything in a test)
 */
public final class PendingTicks<A> {
    private static final Comparator<LatestState> BY_ID = Comparator.comparingLong(pet -> pet.state().id());

    // keyed by the primitive pet id: a million pets wait here, merged into 200,000 times a second
    private LongObjectHashMap<LatestState> byPet = new LongObjectHashMap<>();
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
            // held without the record's payload: a million payloads for a whole flush interval would be gigabytes
            int slot = byPet.indexOf(tick.state().id());
            if (byPet.indexExists(slot)) {
                LatestState held = byPet.indexGet(slot);
                LatestState merged = held.merge(tick);
                byPet.indexReplace(slot, merged.record() == held.record() ? merged : merged.withoutPayload());
            } else {
                byPet.indexInsert(slot, tick.state().id(), tick.withoutPayload());
            }
        }
        waiting.add(acknowledgement);
        if (oldestSince < 0) {
            oldestSince = now;
        }
        return byPet.size();
    }

    /**
     * Takes everything pending, in pet id order, leaving the lane empty for the batches that arrive meanwhile. Only
     * swaps the maps under the lock, so that {@link #hold} never waits while a million states are copied and sorted.
     */
    public Flush<A> drain() {
        LongObjectHashMap<LatestState> pets;
        List<A> acknowledgements;
        synchronized (this) {
            pets = byPet;
            acknowledgements = waiting;
            byPet = new LongObjectHashMap<>(Math.max(16, pets.size()));
            waiting = new ArrayList<>();
            oldestSince = -1;
        }
        List<LatestState> states = new ArrayList<>(pets.size());
        for (ObjectCursor<LatestState> pet : pets.values()) {
            states.add(pet.value);
        }
        // in id order: each statement of the flush then touches neighbouring rows and index pages, not random ones
        states.sort(BY_ID);
        return new Flush<>(List.copyOf(states), List.copyOf(acknowledgements));
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
