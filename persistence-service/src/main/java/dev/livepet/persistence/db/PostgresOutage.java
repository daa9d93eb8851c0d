package dev.livepet.persistence.db;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether writes to PostgreSQL currently fail. Logs one line when an outage starts and one when it ends,
 * never a stack trace per retry.
 */
final class PostgresOutage {
    private static final Logger LOG = Logger.getLogger(PostgresOutage.class);

    private final AtomicLong since = new AtomicLong(); // 0 = no outage, else nanoTime of its first failure (+1)
    private final AtomicLong failedAttempts = new AtomicLong();

    void failed(Throwable failure, int events, int clocks) {
        failedAttempts.incrementAndGet();
        if (since.compareAndSet(0, System.nanoTime() | 1)) {
            LOG.warnf("Writing to PostgreSQL fails (%s); holding %d event(s), %d clock(s) and their Kafka offsets,"
                    + " retrying until it works", describe(failure), events, clocks);
        }
    }

    void ended() {
        long start = since.getAndSet(0);
        if (start != 0) {
            Duration lasted = Duration.ofNanos(System.nanoTime() - start);
            LOG.infof("Writing to PostgreSQL works again after %d failed attempts in %d s",
                    failedAttempts.getAndSet(0), lasted.toSeconds());
        }
    }

    boolean ongoing() {
        return since.get() != 0;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
