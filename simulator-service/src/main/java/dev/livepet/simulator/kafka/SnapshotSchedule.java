package dev.livepet.simulator.kafka;

import dev.livepet.simulator.domain.PartitionSnapshot;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.SnapshotChunks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When each owned partition is snapshotted: once every {@code everyTicks} ticks, partition p at the ticks of its clock
 * whose number is p modulo every-ticks, so that a world's snapshots spread over the ticks instead of coming at once,
 * and only when a pet event was written to it since its last snapshot (a quiet partition's restore reads its snapshot
 * and one tick record per tick since). A snapshot goes into the transaction of the tick that made it due, so it
 * commits or aborts with the state it holds, and a loop that is never idle still writes it. The offset it covers may
 * stand before that transaction's own records (not yet acknowledged): a restore reads them again and they change
 * nothing, as versions and ticks only move forward.
 */
final class SnapshotSchedule {
    private final int everyTicks;
    private final int chunkBytes;
    private final int partitionCount;
    private final TransactionDriver transactions;
    // per partition: the pet events sent when its last snapshot was written
    private final Map<Integer, Long> eventsAtSnapshot = new HashMap<>();

    /** With {@code everyTicks} 0 it never snapshots. */
    SnapshotSchedule(int everyTicks, int chunkBytes, int partitionCount, TransactionDriver transactions) {
        this.everyTicks = everyTicks;
        this.chunkBytes = chunkBytes;
        this.partitionCount = partitionCount;
        this.transactions = transactions;
    }

    /**
     * Into the open transaction, after the tick records of {@code ticked}: the snapshot of each whose turn it is (its
     * clock's tick) and whose pets changed since its last one.
     *
     * @return how many snapshots were written
     */
    int writeDue(List<PetPartition> ticked) {
        if (everyTicks == 0) {
            return 0;
        }
        int written = 0;
        for (PetPartition partition : ticked) {
            if (partition.clock().tick() % everyTicks == partition.partition() % everyTicks && write(partition)) {
                written++;
            }
        }
        return written;
    }

    private boolean write(PetPartition partition) {
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
        eventsAtSnapshot.remove(partition);
    }

    void clear() {
        eventsAtSnapshot.clear();
    }
}
