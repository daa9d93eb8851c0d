package dev.livepet.simulator.kafka;

import dev.livepet.simulator.domain.PetPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The partitions this instance owns, each with its pets and clock, and the tick each stood at when it was restored:
 * a partition counts as ticking once its clock has moved on from there.
 */
final class OwnedPartitions {
    private final Map<Integer, PetPartition> pets = new TreeMap<>();
    private final Map<Integer, Long> restoredAt = new HashMap<>();

    /** Takes a partition just restored. */
    void restored(PetPartition partition) {
        pets.put(partition.partition(), partition);
        restoredAt.put(partition.partition(), partition.clock().tick());
    }

    /** The partition's pets, or null when it is not owned (or not restored yet). */
    PetPartition get(int partition) {
        return pets.get(partition);
    }

    /** Every owned partition, by number. */
    Collection<PetPartition> all() {
        return pets.values();
    }

    Set<Integer> numbers() {
        return pets.keySet();
    }

    int count() {
        return pets.size();
    }

    void drop(int partition) {
        pets.remove(partition);
        restoredAt.remove(partition);
    }

    void clear() {
        pets.clear();
        restoredAt.clear();
    }

    /** Whether the partition's clock has ticked since it was restored. */
    boolean tickedSinceRestore(int partition) {
        PetPartition p = pets.get(partition);
        Long at = restoredAt.get(partition);
        return p != null && at != null && p.clock().tick() > at;
    }

    /** Whether every owned partition has ticked since its restore. */
    boolean allTicking() {
        for (int p : pets.keySet()) {
            if (!tickedSinceRestore(p)) {
                return false;
            }
        }
        return true;
    }
}
