package dev.livepet.persistence.domain;

import com.carrotsearch.hppc.LongObjectHashMap;
import com.carrotsearch.hppc.cursors.LongObjectCursor;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PoisonRecordException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One partition's tick lane between two flushes: the newest tick of each pet, kept as the record's JSON (read whole
 * only when flushed: a pet ticks a dozen times between two flushes), and the acknowledgements of the batches they
 * came from, which may only be given once a flush has written them. Thread-safe: ticks arrive on the consumer's
 * thread, flushes drain from a timer.
 *
 * @param <A> how a batch is acknowledged (a Kafka record in the service, anything in a test)
 */
public final class PendingTicks<A> {
    static final Comparator<LatestState> BY_ID = Comparator.comparingLong(pet -> pet.state().id());

    private final int partition;
    // keyed by the primitive pet id: tens of thousands of pets per partition wait here, each replaced 12 times
    private LongObjectHashMap<HeldTick> byPet = new LongObjectHashMap<>();
    private List<A> waiting = new ArrayList<>();
    private long oldestSince = -1;

    public PendingTicks(int partition) {
        this.partition = partition;
    }

    /** A pet's newest tick so far; replaced in place by a newer one. */
    private static final class HeldTick {
        long version;
        long firstAt;
        byte[] json;
        long offset;
    }

    /**
     * Holds one tick, unless a newer version of the pet already waits (the highest version wins; on a tie the one
     * seen first stays).
     *
     * @param at   the tick's event time: the earliest one held becomes the pet's birth time if its row is new
     * @param json the record's value, read whole when flushed
     */
    public synchronized void hold(long pet, long version, long at, byte[] json, long offset) {
        int slot = byPet.indexOf(pet);
        if (byPet.indexExists(slot)) {
            HeldTick held = byPet.indexGet(slot);
            held.firstAt = Math.min(held.firstAt, at);
            if (version > held.version) {
                held.version = version;
                held.json = json;
                held.offset = offset;
            }
        } else {
            HeldTick held = new HeldTick();
            held.version = version;
            held.firstAt = at;
            held.json = json;
            held.offset = offset;
            byPet.indexInsert(slot, pet, held);
        }
    }

    /** Holds a tick-only state read whole already (one the quick reading of ticks did not take). */
    public void hold(LatestState tick) {
        hold(tick.state().id(), tick.state().version(), tick.firstAt(), tick.record().value(), tick.record().offset());
    }

    /**
     * The acknowledgement of a batch whose ticks of this partition are held: given by the flush that writes them.
     *
     * @param now when the batch arrived (any clock), for {@link #oldestSince()}
     */
    public synchronized void waitFor(A acknowledgement, long now) {
        waiting.add(acknowledgement);
        if (oldestSince < 0) {
            oldestSince = now;
        }
    }

    /**
     * Takes everything pending, read whole and in pet id order, leaving the lane empty for the batches that arrive
     * meanwhile. Only swaps the maps under the lock, so that {@link #hold} never waits while the states are read.
     */
    public Flush<A> drain() {
        LongObjectHashMap<HeldTick> pets;
        List<A> acknowledgements;
        synchronized (this) {
            pets = byPet;
            acknowledgements = waiting;
            byPet = new LongObjectHashMap<>(Math.max(16, pets.size()));
            waiting = new ArrayList<>();
            oldestSince = -1;
        }
        List<LatestState> states = new ArrayList<>(pets.size());
        List<DeadLetter> poison = new ArrayList<>();
        for (LongObjectCursor<HeldTick> pet : pets) {
            HeldTick held = pet.value;
            StateRecord record = new StateRecord(PetPartitioner.key(pet.key), held.json, partition, held.offset);
            try {
                PetState state = PetJson.state(held.json);
                states.add(new LatestState(state, record, held.firstAt, false));
            } catch (PoisonRecordException e) {
                // the quick reading only looked at both ends of the record
                poison.add(new DeadLetter(record, e.getMessage()));
            }
        }
        // in id order: each statement of the flush then touches neighbouring rows and index pages, not random ones
        states.sort(BY_ID);
        return new Flush<>(List.copyOf(states), List.copyOf(poison), List.copyOf(acknowledgements));
    }

    /** How many pets wait for the next flush. */
    public synchronized int pets() {
        return byPet.size();
    }

    /** When the oldest batch still waiting arrived (the clock given to {@link #waitFor}), -1 if none waits. */
    public synchronized long oldestSince() {
        return oldestSince;
    }

    /**
     * What one flush writes and then acknowledges.
     *
     * @param states           one newest state per pet, in pet id order
     * @param poison           held ticks that turned out unreadable once read whole, for the dead letters
     * @param acknowledgements the batches whose offsets may be committed once the states are in PostgreSQL
     */
    public record Flush<A>(List<LatestState> states, List<DeadLetter> poison, List<A> acknowledgements) {
        static <A> Flush<A> empty() {
            return new Flush<>(List.of(), List.of(), List.of());
        }

        public boolean isEmpty() {
            return states.isEmpty() && poison.isEmpty() && acknowledgements.isEmpty();
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
