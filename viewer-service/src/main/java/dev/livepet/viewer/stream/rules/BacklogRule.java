package dev.livepet.viewer.stream.rules;

import java.time.Duration;

/**
 * When a viewer that fell behind a partition of pet-state skips to its end instead of reading the backlog. Past one
 * tick interval behind, the partition's next tick record shows a watched pet sooner than the backlog would (its
 * skipped events are read again from PostgreSQL): a slow viewer, like a slow browser, gets the latest state rather
 * than a backlog.
 *
 * @param maxBehind  how old (by event time) the last record read may be before the rest of the partition is skipped
 * @param minRecords fewer records behind than this are read, however old they look: a host clock apart from the
 *                   simulator's never makes a viewer that keeps up skip
 */
public record BacklogRule(Duration maxBehind, long minRecords) {
    public BacklogRule {
        if (maxBehind.isNegative() || maxBehind.isZero() || minRecords < 1) {
            throw new IllegalArgumentException("max-behind must be positive and min-records at least 1");
        }
    }

    /**
     * @param recordsBehind    records of the partition after the last one read
     * @param lastReadAtMillis the event time of the last record read (epoch ms)
     * @param nowMillis        the time now (epoch ms)
     */
    public boolean skips(long recordsBehind, long lastReadAtMillis, long nowMillis) {
        return recordsBehind >= minRecords && nowMillis - lastReadAtMillis > maxBehind.toMillis();
    }
}
