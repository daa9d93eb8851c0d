package dev.livepet.viewer.active.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * A player's treats in one refill period. Every purse is refilled to full at each boundary of the refill interval
 * (the same boundaries for every player, so every viewer instance knows when without asking anyone).
 *
 * @param treats what is left
 * @param period the refill period it belongs to, counted from the epoch
 */
public record TreatPurse(int treats, long period) {
    public TreatPurse {
        if (treats < 0) {
            throw new IllegalArgumentException("a purse never holds fewer than zero treats, not " + treats);
        }
    }

    /** The refill period {@code now} falls in. */
    public static long periodAt(Instant now, Duration refillEvery) {
        return Math.floorDiv(now.toEpochMilli(), refillEvery.toMillis());
    }

    /** When the period after {@code period} begins: the next refill. */
    public static Instant refillAfter(long period, Duration refillEvery) {
        return Instant.ofEpochMilli((period + 1) * refillEvery.toMillis());
    }

    /** A purse nobody has touched yet: full. */
    public static TreatPurse full(int full, long period) {
        return new TreatPurse(full, period);
    }

    /** This purse as it is in {@code now}: full again once a later period has begun. */
    public TreatPurse in(long now, int full) {
        return now > period ? new TreatPurse(full, now) : this;
    }

    public boolean canGive() {
        return treats > 0;
    }

    /** The purse after giving one treat; only when {@link #canGive()}. */
    public TreatPurse afterGiving() {
        if (!canGive()) {
            throw new IllegalStateException("no treat left to give");
        }
        return new TreatPurse(treats - 1, period);
    }

    /** Whether {@code other} is news to someone who shows this purse: a later period, or the same one changed. */
    public boolean isOlderThan(TreatPurse other) {
        return other.period > period || (other.period == period && other.treats != treats);
    }
}
