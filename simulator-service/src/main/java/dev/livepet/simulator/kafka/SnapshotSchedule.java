package dev.livepet.simulator.kafka;

import dev.livepet.simulator.domain.PartitionSnapshot;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.SnapshotChunks;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When each owned partition is snapshotted: once every {@code everyTicks} ticks, partition p at the ticks of its clock
 * whose number is p modulo every-ticks, so that a world's snapshots spread over the ticks instead of coming at once, and only when a pet
 * event was written to it since its last snapshot (a quiet partition's restore reads its snapshot and one tick record
 * per tick since). A due snapshot is written while the loop is idle, right after a commit (so the partition equals what
 * is committed), one partition per transaction of its own.
 */
final class SnapshotSchedule {
    private final int everyTicks;
    private final int chunkBytes;
    private final int partitionCount;
    private final TransactionDriver transactions;
    // in the order they fell due: when more fall due than the idle moments can write, none waits for ever
    private final LinkedHashSet<Integer> due = new LinkedHashSet<>();
    // per partition: the pet events sent when its last snapshot was written
    private final Map<Integer, Long> eventsAtSnapshot = new HashMap<>();

    /** With {@code everyTicks} 0 it never snapshots. */
    SnapshotSchedule(int everyTicks, int chunkBytes, int partitionCount, TransactionDriver transactions) {
        this.everyTicks = everyTicks;
        this.chunkBytes = chunkBytes;
        this.partitionCount = partitionCount;
        this.transactions = transactions;
    }

    /** After the tick records of {@code ticked} were committed: marks those whose turn it is (their clock's tick). */
    void ticked(List<PetPartition> ticked) {
        if (everyTicks == 0) {
            return;
        }
        for (PetPartition partition : ticked) {
            if (partition.clock().tick() % everyTicks == partition.partition() % everyTicks) {
                due.add(partition.partition());
            }
        }
    }

    boolean anyDue() {
        return !due.isEmpty();
    }

    /**
     * Writes the next due snapshot into a transaction of its own, unless no pet event was written to its partition
     * since the last one.
     *
     * @return whether a snapshot is in the open transaction (the caller commits it)
     */
    boolean writeNext(OwnedPartitions owned) {
        if (due.isEmpty() || transactions.open()) {
            return false;
        }
        Iterator<Integer> first = due.iterator();
        PetPartition partition = owned.get(first.next());
        first.remove();
        if (partition == null) {
            return false;
        }
        int p = partition.partition();
        long covered = transactions.covered(p);
        long events = transactions.eventsSent(p);
        if (covered <= 0 || Long.valueOf(events).equals(eventsAtSnapshot.get(p))) {
            return false;
        }
        byte[] payload = PartitionSnapshot.write(partition, partitionCount, covered, System.currentTimeMillis());
        long id = ThreadLocalRandom.current().nextLong();
        transactions.snapshot(p, SnapshotChunks.split(p, id, payload, chunkBytes), payload.length);
        eventsAtSnapshot.put(p, events);
        return true;
    }

    void forget(int partition) {
        due.remove(partition);
        eventsAtSnapshot.remove(partition);
    }

    void clear() {
        due.clear();
        eventsAtSnapshot.clear();
    }
}
