package dev.livepet.viewer.accounts.rules;

import java.time.Duration;

/**
 * An account's session generation as one viewer instance last learned it (read, or heard of), and when. It decides a
 * session cookie without asking PostgreSQL while it is fresh; generations only grow, so an older one is refused at once.
 */
public record KnownGeneration(int generation, long learnedAtNanos) {
    public enum Verdict { ACCEPT, REFUSE, ASK }

    public Verdict of(int cookieGeneration, long nowNanos, Duration trust) {
        if (cookieGeneration < generation) {
            return Verdict.REFUSE;
        }
        if (cookieGeneration == generation && nowNanos - learnedAtNanos < trust.toNanos()) {
            return Verdict.ACCEPT;
        }
        // newer than we know (a raise not heard of yet), or learned too long ago
        return Verdict.ASK;
    }

    /**
     * When PostgreSQL cannot be asked: a cookie of the generation last learned is taken, however long ago, so that an
     * outage of the database logs out nobody this instance knows; an ended session stays refused.
     */
    public boolean vouchesFor(int cookieGeneration) {
        return cookieGeneration == generation;
    }

    /** Of two things learned about one account, the truer one: the higher generation, else the later. */
    public KnownGeneration or(KnownGeneration other) {
        if (other.generation != generation) {
            return other.generation > generation ? other : this;
        }
        return other.learnedAtNanos - learnedAtNanos > 0 ? other : this;
    }

    public boolean olderThan(Duration trust, long nowNanos) {
        return nowNanos - learnedAtNanos >= trust.toNanos();
    }
}
