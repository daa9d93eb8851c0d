package dev.livepet.persistence.domain;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Polled batches between their poll and their commit in PostgreSQL, at most {@code limit} of them: the
 * next poll is read and coalesced while PostgreSQL still writes the previous one, so that neither side waits for the
 * other. Each batch is acknowledged by its own write, in any order; the commit strategy commits only the contiguous
 * prefix. Thread-safe: batches are admitted on the consumer's thread and finish on the database client's.
 */
public final class BatchesInFlight {
    private final int limit;
    private final ArrayDeque<CompletableFuture<?>> writing = new ArrayDeque<>();

    public BatchesInFlight(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one batch must be in flight, not " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes a batch whose write has started.
     *
     * @return completes once the consumer may take the next poll: at once while fewer than {@code limit} batches are
     *         being written, else when the oldest of them has finished (whether it succeeded or failed: a failed batch
     *         is the consumer's to report, through its own negative acknowledgement)
     */
    public synchronized CompletionStage<Void> admit(CompletableFuture<?> write) {
        writing.addLast(write);
        writing.removeIf(CompletableFuture::isDone);
        if (writing.size() < limit) {
            return CompletableFuture.completedFuture(null);
        }
        return writing.peekFirst().handle((ignored, failure) -> null);
    }

    /** How many admitted batches have not finished yet. */
    public synchronized int writing() {
        writing.removeIf(CompletableFuture::isDone);
        return writing.size();
    }
}
