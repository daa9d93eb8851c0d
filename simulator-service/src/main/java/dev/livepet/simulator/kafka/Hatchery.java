package dev.livepet.simulator.kafka;

import dev.livepet.simulator.domain.PetChangeSink;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.SeedPets;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.TreeMap;

/**
 * Seeds a new world: every owned partition whose clock never ticked gets the ownerless pets 1..seed-pets that live in
 * it and that it lacks, as {@code adopted} events at its tick 0, a bounded number per transaction so that commands and
 * ticks never wait long behind it. A partition does not tick while it is seeded, so a seeding cut short by a crash goes
 * on after the restore (its clock is still 0) where the committed pets end.
 */
final class Hatchery {
    private static final Logger LOG = Logger.getLogger(Hatchery.class);
    private final int seedPets;
    private final int idsPerTransaction;
    private final int partitionCount;
    private final TransactionDriver transactions;
    private final SimulatorMetrics metrics;
    private final PetChangeSink publish;
    // partition → the index of its next seed id to look at
    private final Map<Integer, Integer> nests = new TreeMap<>();
    private int[][] seedIds;
    private long since;
    private boolean finished;

    /** Looks at most {@code idsPerTransaction} seed ids per transaction. */
    Hatchery(int seedPets, int partitionCount, int idsPerTransaction, TransactionDriver transactions,
             SimulatorMetrics metrics) {
        this.seedPets = seedPets;
        this.idsPerTransaction = idsPerTransaction;
        this.partitionCount = partitionCount;
        this.transactions = transactions;
        this.metrics = metrics;
        this.publish = transactions::publish;
    }

    /** Takes a partition just restored: seeded when the world seeds pets and its clock never ticked. */
    void consider(PetPartition partition) {
        if (seedPets > 0 && partition.clock().tick() == 0) {
            nests.put(partition.partition(), 0);
        }
    }

    /** Whether the partition is still being seeded (it does not tick meanwhile). */
    boolean seeding(int partition) {
        return nests.containsKey(partition);
    }

    boolean hasWork() {
        return !nests.isEmpty();
    }

    /**
     * Seeds the next pets, partition after partition, into the open transaction.
     *
     * @return how many pets were created
     */
    int seedSome(OwnedPartitions owned) {
        long at = System.currentTimeMillis();
        if (seedIds == null) {
            seedIds = SeedPets.idsByPartition(seedPets, partitionCount);
        }
        if (since == 0) {
            since = System.nanoTime();
        }
        int looked = 0;
        int seeded = 0;
        while (looked < idsPerTransaction && !nests.isEmpty()) {
            Map.Entry<Integer, Integer> nest = nests.entrySet().iterator().next();
            int p = nest.getKey();
            int from = nest.getValue();
            int[] ids = seedIds[p];
            int to = Math.min(ids.length, from + idsPerTransaction - looked);
            PetPartition partition = owned.get(p);
            if (partition != null) {
                seeded += partition.seed(ids, from, to, at, publish);
            }
            looked += to - from;
            if (partition == null || to == ids.length) {
                nests.remove(p);
                if (partition != null) {
                    partition.trimToSize();
                    LOG.debugf("partition %d seeded: %d pets", p, partition.size());
                }
            } else {
                nest.setValue(to);
            }
        }
        metrics.seeded(seeded);
        if (nests.isEmpty()) {
            seedIds = null;
            finished = true;
        }
        if (seeded > 0) {
            LOG.infof("seeded %d pets; %d partitions to go", seeded, nests.size());
        }
        return seeded;
    }

    /** After a commit: once the last seeded pets are committed, how long seeding took, from the first pet created. */
    void committed() {
        if (finished && since != 0) {
            metrics.seedingDone(System.nanoTime() - since);
            since = 0;
        }
        finished = false;
    }

    void forget(int partition) {
        nests.remove(partition);
    }

    /** After a failed transaction: the partitions are restored again and considered anew. */
    void clear() {
        nests.clear();
        seedIds = null;
        finished = false;
    }
}
