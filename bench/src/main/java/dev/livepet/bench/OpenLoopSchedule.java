package dev.livepet.bench;

/**
 * When each request of an open-loop load is due: request {@code i} (from 0) at {@code start + i / rate}, whatever
 * became of the requests before it. A client that falls behind still owes every request at its time, so a latency
 * counts from {@link #dueNanos} and a slow answer cannot hide the requests it delayed (no coordinated omission).
 */
final class OpenLoopSchedule {
    private final long startNanos;
    private final double perSecond;
    private final long asked;

    /**
     * @param startNanos when request 0 is due, on {@link System#nanoTime()}'s clock
     * @param perSecond  the asked rate
     * @param seconds    how long the load runs: every request due before its end is asked
     */
    OpenLoopSchedule(long startNanos, double perSecond, double seconds) {
        if (perSecond <= 0 || seconds <= 0) {
            throw new IllegalArgumentException("an open-loop load needs a positive rate and duration");
        }
        this.startNanos = startNanos;
        this.perSecond = perSecond;
        // the requests due in [start, start + seconds); the small margin keeps 10 s × 100/s at 1,000, not 1,001
        this.asked = (long) Math.ceil(seconds * perSecond - 1e-9);
    }

    /** How many requests the load asks for in all. */
    long asked() {
        return asked;
    }

    /** When request {@code i} is due. */
    long dueNanos(long i) {
        return startNanos + Math.round(i * 1e9 / perSecond);
    }

    /** How many requests are due at or before {@code nanos} (never more than {@link #asked()}). */
    long dueBy(long nanos) {
        if (nanos < startNanos) {
            return 0;
        }
        long due = Math.min(asked, (long) Math.floor((nanos - startNanos) * perSecond / 1e9) + 1);
        // the estimate is off by one where dueNanos rounds: settle it on dueNanos itself
        while (due > 0 && dueNanos(due - 1) > nanos) {
            due--;
        }
        while (due < asked && dueNanos(due) <= nanos) {
            due++;
        }
        return due;
    }

    /**
     * Whether a request may still be sent at {@code nanos}: a client so far behind that the load ended more than
     * {@code graceNanos} ago gives the rest up, and they count as not sent (a miss, never a pause in the clock).
     */
    boolean stillSendable(long nanos, long graceNanos) {
        return nanos - dueNanos(asked) <= graceNanos;
    }

    /** Whether request {@code i}, sent at {@code sentNanos}, left more than {@code toleranceNanos} after it was due. */
    boolean late(long i, long sentNanos, long toleranceNanos) {
        return sentNanos - dueNanos(i) > toleranceNanos;
    }
}
