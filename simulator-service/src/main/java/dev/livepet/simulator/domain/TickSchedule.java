package dev.livepet.simulator.domain;

import java.time.Duration;

/**
 * When the owned partitions tick next: once every interval, all of them together. Times are monotonic nanoseconds
 * ({@link System#nanoTime()}). When the simulator falls more than one interval behind it skips ahead instead of
 * ticking several times in a row to catch up: like downtime, a stall does not age pets.
 */
public final class TickSchedule {
    private final long intervalNanos;
    private long dueAt;
    private long skips;

    /** The first tick is due one interval after {@code nowNanos}. */
    public TickSchedule(Duration interval, long nowNanos) {
        this.intervalNanos = interval.toNanos();
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("the tick interval must be positive");
        }
        this.dueAt = nowNanos + intervalNanos;
    }

    /** When the next tick is due. */
    public long dueAt() {
        return dueAt;
    }

    public boolean isDue(long nowNanos) {
        return nowNanos - dueAt >= 0;
    }

    /** How long until the next tick is due, 0 when it is due already. */
    public long nanosUntilDue(long nowNanos) {
        return Math.max(0, dueAt - nowNanos);
    }

    /** How late the next tick is at {@code nowNanos}, 0 when it is not late. */
    public long lateness(long nowNanos) {
        return Math.max(0, nowNanos - dueAt);
    }

    /** Moves on to the following tick after the current one ticked at {@code nowNanos}. */
    public void advance(long nowNanos) {
        dueAt += intervalNanos;
        if (nowNanos - dueAt > 0) {
            // more than an interval behind: the next tick is one interval from now, the missed ones are not made up
            dueAt = nowNanos + intervalNanos;
            skips++;
        }
    }

    /** How many times the schedule skipped ahead because it fell more than an interval behind. */
    public long skips() {
        return skips;
    }
}
