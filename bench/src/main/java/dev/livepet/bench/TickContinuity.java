package dev.livepet.bench;

/**
 * The frames one watcher got of its pet, each showing {@code version V, tick T}: while the pet lives its partition's
 * clock moves one tick at a time, so the viewer sends a frame per tick (the tick goes up by exactly one) and a frame
 * per event (the tick stays, the version goes up). Anything else is a skipped tick, or a frame shown again or out of
 * order. The first frame, and the last one before {@link #restart()}, is where the counting starts.
 */
final class TickContinuity {
    /** What a frame was, measured against the frame before it. */
    enum Step {
        /** The first frame: nothing to measure against. */
        FIRST,
        /** The next tick (its version may have grown too: an event at that tick). */
        TICK,
        /** The same tick with a newer version: an event. */
        EVENT,
        /** The tick went up by more than one: ticks the watcher never saw. */
        SKIP,
        /** The same version at the same tick again. */
        REPEAT,
        /** An older tick or an older version than the frame before. */
        BACK
    }

    private long version = -1;
    private long tick = -1;
    private long frames;
    private long skips;
    private long skippedTicks;
    private long repeats;
    private long backs;

    synchronized Step frame(long newVersion, long newTick) {
        Step step = step(newVersion, newTick);
        frames++;
        switch (step) {
            case SKIP -> {
                skips++;
                skippedTicks += newTick - tick - 1;
            }
            case REPEAT -> repeats++;
            case BACK -> backs++;
            default -> { }
        }
        if (step != Step.BACK) {
            // a frame from the past says nothing new: the next one is measured against the newest seen
            version = newVersion;
            tick = newTick;
        }
        return step;
    }

    private Step step(long newVersion, long newTick) {
        if (tick < 0) {
            return Step.FIRST;
        }
        if (newTick < tick || newVersion < version) {
            return Step.BACK;
        }
        if (newTick == tick) {
            return newVersion == version ? Step.REPEAT : Step.EVENT;
        }
        return newTick == tick + 1 ? Step.TICK : Step.SKIP;
    }

    /** Forgets what was counted so far; the last frame stays the one the next is measured against. */
    synchronized void restart() {
        frames = skips = skippedTicks = repeats = backs = 0;
    }

    synchronized long frames() {
        return frames;
    }

    /** Frames that skipped at least one tick. */
    synchronized long skips() {
        return skips;
    }

    /** Ticks the skips jumped over. */
    synchronized long skippedTicks() {
        return skippedTicks;
    }

    synchronized long repeats() {
        return repeats;
    }

    synchronized long backs() {
        return backs;
    }
}
