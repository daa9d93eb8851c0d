package dev.livepet.simulator.domain;

/**
 * A partition's clock: the number of its last tick (0 before the first) and when that tick happened. It advances by
 * one per tick interval while the partition is owned and stands still otherwise, so downtime does not age pets.
 * A restore moves it to the highest tick read back.
 */
public final class TickClock {
    /** Pets keep the tick of their last event in an int: 2^31 ticks of 5 s are 340 years. */
    public static final long MAX_TICK = Integer.MAX_VALUE;

    private long tick;
    private long at;

    /** The last tick, 0 before the partition's first. */
    public long tick() {
        return tick;
    }

    /** When the last tick happened, epoch milliseconds; 0 before the first. */
    public long at() {
        return at;
    }

    /** The next tick, happening at {@code at}; returns its number. */
    public long advance(long at) {
        if (tick >= MAX_TICK) {
            throw new IllegalStateException("the clock has reached its last tick " + MAX_TICK);
        }
        tick++;
        this.at = at;
        return tick;
    }

    /** Moves the clock to a tick read back, unless it stands there or later already. */
    public void restore(long tick, long at) {
        if (tick < 0 || tick > MAX_TICK) {
            throw new IllegalArgumentException("a clock holds ticks 0.." + MAX_TICK + ", not " + tick);
        }
        if (tick > this.tick) {
            this.tick = tick;
            this.at = at;
        }
    }

    @Override
    public String toString() {
        return "tick " + tick + " at " + at;
    }
}
