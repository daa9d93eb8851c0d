package dev.livepet.simulator.domain;

import java.time.Duration;

/**
 * When the owned partitions tick next. The interval is cut into {@code phases} equal steps and partition p ticks in
 * phase {@code p % phases}, so each partition ticks once per interval and readers get a steady trickle of ticks (and
 * the frames they cause) instead of every partition's at once. Times are monotonic nanoseconds
 * ({@link System#nanoTime()}). A step that falls more than an interval behind skips ahead instead of ticking
 * several times in a row to catch up: like downtime, a stall does not age pets.
 */
public final class TickSchedule {
    private final long intervalNanos;
    private final long stepNanos;
    private final int phases;
    private long dueAt;
    private long step;
    private long skips;

    /** All partitions tick together, the first tick one interval after {@code nowNanos}. */
    public TickSchedule(Duration interval, long nowNanos) {
        this(interval, 1, nowNanos);
    }

    /** The interval in {@code phases} steps; the first step (phase 0) is due one step after {@code nowNanos}. */
    public TickSchedule(Duration interval, int phases, long nowNanos) {
        this.intervalNanos = interval.toNanos();
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("the tick interval must be positive");
        }
        if (phases < 1 || phases > intervalNanos) {
            throw new IllegalArgumentException("a tick interval has 1 to " + intervalNanos + " phases, not " + phases);
        }
        this.phases = phases;
        this.stepNanos = intervalNanos / phases;
        this.dueAt = nowNanos + stepNanos;
    }

    /** The phase of the step due next: partitions {@code p} with {@code p % phases() == phase()} tick in it. */
    public int phase() {
        return (int) (step % phases);
    }

    public int phases() {
        return phases;
    }

    /** Whether partition {@code p} ticks in the step due next. */
    public boolean ticksNext(int partition) {
        return partition % phases == phase();
    }

    /** How long one step lasts: the interval divided by the phases. */
    public long stepNanos() {
        return stepNanos;
    }

    /** When the next step is due. */
    public long dueAt() {
        return dueAt;
    }

    public boolean isDue(long nowNanos) {
        return nowNanos - dueAt >= 0;
    }

    /** How long until the next step is due, 0 when it is due already. */
    public long nanosUntilDue(long nowNanos) {
        return Math.max(0, dueAt - nowNanos);
    }

    /** How late the next step is at {@code nowNanos}, 0 when it is not late. */
    public long lateness(long nowNanos) {
        return Math.max(0, nowNanos - dueAt);
    }

    /**
     * Moves on to the following step after the current one ticked at {@code nowNanos}. A step less than an interval
     * late is due at once (its partitions have not ticked for an interval); one that is more than an interval late
     * would tick its partitions twice within an interval, so the schedule starts again one step from now.
     */
    public void advance(long nowNanos) {
        step++;
        dueAt += stepNanos;
        if (nowNanos - dueAt > intervalNanos - stepNanos) {
            dueAt = nowNanos + stepNanos;
            skips++;
        }
    }

    /** How many times the schedule skipped ahead because it fell more than an interval behind. */
    public long skips() {
        return skips;
    }
}
