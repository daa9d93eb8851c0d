package dev.livepet.simulator.domain;

import java.time.Duration;

/**
 * When the next slice of every partition ticks. The interval is cut into {@code slices} equal steps so that a
 * million pets tick as a steady stream rather than a burst; slice {@code s} holds the pets whose slot
 * satisfies {@code slot % slices == s}. Times are monotonic nanoseconds ({@link System#nanoTime()}).
 * When the simulator falls more than one interval behind it skips ahead instead of bursting to catch up:
 * like downtime, a stall does not age pets.
 */
public final class TickSchedule {
    private final long intervalNanos;
    private final int slices;
    private long origin;
    private long step;
    private int slice;
    private long skips;

    public TickSchedule(Duration interval, int slices, long nowNanos) {
        if (slices < 1) {
            throw new IllegalArgumentException("slices must be at least 1");
        }
        this.intervalNanos = interval.toNanos();
        this.slices = slices;
        this.origin = nowNanos;
    }

    /** The slice that ticks next, in 0..slices-1. */
    public int slice() {
        return slice;
    }

    public int slices() {
        return slices;
    }

    /** When the next slice is due. */
    public long dueAt() {
        return origin + step * intervalNanos / slices;
    }

    public boolean isDue(long nowNanos) {
        return nowNanos - dueAt() >= 0;
    }

    /** How long until the next slice is due, 0 when it is due already. */
    public long nanosUntilDue(long nowNanos) {
        return Math.max(0, dueAt() - nowNanos);
    }

    /** How late the next slice is at {@code nowNanos}, 0 when it is not late. */
    public long lateness(long nowNanos) {
        return Math.max(0, nowNanos - dueAt());
    }

    /** Moves on to the following slice after the current one ticked at {@code nowNanos}. */
    public void advance(long nowNanos) {
        slice = (slice + 1) % slices;
        if (++step == slices) {
            // keep step small so that step * interval never overflows
            origin += intervalNanos;
            step = 0;
        }
        if (nowNanos - dueAt() > intervalNanos) {
            origin = nowNanos;
            step = 0;
            skips++;
        }
    }

    /** How many times the schedule skipped ahead because it fell more than an interval behind. */
    public long skips() {
        return skips;
    }
}
