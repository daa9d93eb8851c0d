package dev.livepet.viewer.accounts.rules;

import java.time.Duration;

/**
 * One session as this viewer instance last learned it (read, or heard of), and when: until when it lives (0: ended).
 * While fresh it decides a cookie without asking PostgreSQL; an ended session is refused for good.
 */
public record KnownSession(long endsAtMillis, long learnedAtNanos) {
    public static final long ENDED = 0;

    public static KnownSession ended(long nowNanos) {
        return new KnownSession(ENDED, nowNanos);
    }

    /** Whether what was learned still answers without asking: an end is final, a life is trusted for {@code trust}. */
    public boolean answers(long nowNanos, Duration trust) {
        return endsAtMillis == ENDED || nowNanos - learnedAtNanos < trust.toNanos();
    }

    /** Whether the session lives at this moment (its absolute lifetime is not over, and it was not ended). */
    public boolean livesAt(long nowMillis) {
        return nowMillis < endsAtMillis;
    }

    public boolean olderThan(Duration kept, long nowNanos) {
        return nowNanos - learnedAtNanos >= kept.toNanos();
    }
}
