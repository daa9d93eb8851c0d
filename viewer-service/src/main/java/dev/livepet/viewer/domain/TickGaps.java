package dev.livepet.viewer.domain;

import java.util.HashMap;
import java.util.Map;

/**
 * How late pets tick, from the stream alone: a pet is due to tick one interval after its previous tick, so the gap
 * between two of its ticks beyond the interval is how late the second one came. Only a sample of pets is followed
 * (those whose key hashes to 0 modulo {@code sampleEvery}), at most {@code maxPets} of them, so memory stays small in
 * a million-pet world. Not thread-safe: the stream's one thread feeds it.
 */
public final class TickGaps {
    private final long intervalMillis;
    private final long stoppedAfterMillis;
    private final int sampleEvery;
    private final int maxPets;
    private final Map<String, Long> lastTick = new HashMap<>();

    /**
     * @param stoppedAfterMillis a gap longer than this means the world was stopped (downtime does not age pets),
     *                           not that a tick was late
     */
    public TickGaps(long intervalMillis, long stoppedAfterMillis, int sampleEvery, int maxPets) {
        if (intervalMillis <= 0 || stoppedAfterMillis < intervalMillis || sampleEvery < 1 || maxPets < 1) {
            throw new IllegalArgumentException("need interval > 0, stopped-after >= interval, sample-every >= 1 and "
                    + "max-pets >= 1");
        }
        this.intervalMillis = intervalMillis;
        this.stoppedAfterMillis = stoppedAfterMillis;
        this.sampleEvery = sampleEvery;
        this.maxPets = maxPets;
    }

    /** Whether the pet with this key is one of the sample. */
    public boolean sampled(String key) {
        return key != null && Math.floorMod(key.hashCode(), sampleEvery) == 0;
    }

    /**
     * A tick of a sampled pet at {@code atMillis}; returns how late it came in milliseconds (0 when on time), or -1
     * when this tick says nothing: the pet's first tick seen, or the first after a stop.
     */
    public long tick(String key, long atMillis) {
        Long previous = lastTick.get(key);
        if (previous == null) {
            if (lastTick.size() < maxPets) {
                lastTick.put(key, atMillis);
            }
            return -1;
        }
        lastTick.put(key, atMillis);
        long gap = atMillis - previous;
        if (gap <= 0 || gap > stoppedAfterMillis) {
            return -1;
        }
        return Math.max(0, gap - intervalMillis);
    }

    /** A pet that died ticks no more: stop following it. */
    public void forget(String key) {
        lastTick.remove(key);
    }

    public int followed() {
        return lastTick.size();
    }
}
