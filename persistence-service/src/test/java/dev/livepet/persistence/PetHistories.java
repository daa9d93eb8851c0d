package dev.livepet.persistence;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.stack.LocalStackTestResource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Pets' events and partitions' ticks as the simulator would publish them, for tests. */
final class PetHistories {
    /** The world's default rule numbers. */
    static final TickRule RULE = new TickRule(1, 5, 500);
    private static final long TICK_MILLIS = 5_000;
    private static final Map<Integer, Long> HANDED_OUT = new HashMap<>(); // the last tick handed out per partition

    private PetHistories() {
    }

    /** A random pet id as the contract spells keys: at most 18 decimal digits. */
    static long newPetId() {
        return ThreadLocalRandom.current().nextLong(1, 1_000_000_000_000_000_000L);
    }

    /** A new pet that lives in this partition. */
    static long newPetIn(int partition) {
        long id;
        do {
            id = newPetId();
        } while (PetPartitioner.partitionOf(id, partitions()) != partition);
        return id;
    }

    static int partitionOf(long id) {
        return PetPartitioner.partitionOf(id, partitions());
    }

    static int partitions() {
        return LocalStackTestResource.stack().settings().partitions();
    }

    /** A pet's events from its adoption at tick 0: {@link #history(long, int, long)}. */
    static List<PetState> history(long id, int versions) {
        return history(id, versions, 0);
    }

    /**
     * A pet's events, versions 1..n: adopted at {@code firstTick}, then a meal or a treat every third tick, each
     * holding the state the tick rule gives at its tick.
     */
    static List<PetState> history(long id, int versions, long firstTick) {
        long born = System.currentTimeMillis() - TICK_MILLIS * 3 * versions;
        PetState last = new PetState(id, "player-" + (id % 7), "Pet " + id, Species.values()[(int) (id % 9)], 0, 250,
                true, 1, Cause.ADOPTED, firstTick, born, "adopt-" + id);
        List<PetState> events = new ArrayList<>(List.of(last));
        for (int v = 2; v <= versions; v++) {
            long tick = firstTick + 3L * (v - 1);
            PetState now = RULE.stateAt(last, tick, born + TICK_MILLIS * (tick - firstTick));
            Cause cause = v % 2 == 0 ? Cause.FED : Cause.TREAT;
            int hunger = Math.max(0, now.hunger() - (cause == Cause.FED ? 100 : 20));
            last = new PetState(id, now.owner(), now.name(), now.species(), now.age(), hunger, true, v, cause, tick,
                    now.at(), "c-" + id + "-" + v);
            events.add(last);
        }
        return events;
    }

    /** A tick of a partition with the default rule numbers, in this world's partition count. */
    static PartitionTick tick(int partition, long tick) {
        return new PartitionTick(partition, partitions(), tick, System.currentTimeMillis(), RULE);
    }

    /**
     * The first of {@code count} ticks a test may give a partition: past every tick its clock has shown and every tick
     * handed out before in this JVM, since a clock never goes back, whatever test moved it.
     */
    static synchronized long nextTicks(int partition, int count) {
        long first = Math.max(PetRows.clock(partition).map(c -> c.tick() + 1).orElse(1L),
                HANDED_OUT.getOrDefault(partition, 0L) + 1);
        HANDED_OUT.put(partition, first + count - 1);
        return first;
    }
}
