package dev.livepet.persistence.domain;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each partition of {@code pet-state} may be committed: its polled batches in poll order, each marked once its
 * events and ticks are in PostgreSQL (with several batches in flight, a younger one may be written first). Only the
 * offset below which every batch is written may be committed, so a crash never skips a record. Thread-safe: batches
 * are polled on the consumer's thread and written on the database client's.
 */
public final class CommitPoints {
    private final Map<Integer, ArrayDeque<Batch>> byPartition = new HashMap<>();

    /** One partition's part of one polled batch. */
    private final class Batch implements Runnable {
        private final long nextOffset;
        private boolean written;

        private Batch(long nextOffset) {
            this.nextOffset = nextOffset;
        }

        /** The batch's events and ticks of this partition are in PostgreSQL. */
        @Override
        public void run() {
            synchronized (CommitPoints.this) {
                written = true;
            }
        }
    }

    /**
     * A batch polled a partition up to {@code nextOffset}: past its last record, and past the markers of Kafka
     * transactions that follow it (a poll returns no record for them, yet an offset committed below them would
     * always show as lag).
     *
     * @return to be run once those records are in PostgreSQL (after the partition was given up it does nothing)
     */
    public synchronized Runnable polled(int partition, long nextOffset) {
        Batch batch = new Batch(nextOffset);
        byPartition.computeIfAbsent(partition, p -> new ArrayDeque<>()).addLast(batch);
        return batch;
    }

    /**
     * Takes the commit points that moved: for each partition the offset after its last batch that, with every batch
     * before it, is written. Those batches are forgotten.
     */
    public synchronized Map<Integer, Long> committable() {
        Map<Integer, Long> offsets = new HashMap<>();
        byPartition.forEach((partition, batches) -> {
            long next = -1;
            while (!batches.isEmpty() && batches.peekFirst().written) {
                next = batches.removeFirst().nextOffset;
            }
            if (next >= 0) {
                offsets.put(partition, next);
            }
        });
        return offsets;
    }

    /** The partitions went to another instance: their batches written later commit nothing here. */
    public synchronized void forget(Collection<Integer> partitions) {
        partitions.forEach(byPartition::remove);
    }

    /** How many partitions' batches wait to be written. */
    public synchronized int waiting() {
        int waiting = 0;
        for (ArrayDeque<Batch> batches : byPartition.values()) {
            for (Batch batch : batches) {
                waiting += batch.written ? 0 : 1;
            }
        }
        return waiting;
    }
}
