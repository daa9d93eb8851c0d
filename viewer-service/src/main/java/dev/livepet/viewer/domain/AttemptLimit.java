package dev.livepet.viewer.domain;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * At most {@code max} attempts per key (logins per email or address, meals per player) in any window of
 * {@code window}: a sliding log of attempt times per key. The caller passes the time, so that the rule is tested
 * without a clock.
 */
public final class AttemptLimit {
    private final int max;
    private final long windowMillis;
    // guarded by this; a key's deque holds the times of its attempts inside the window
    private final Map<String, ArrayDeque<Long>> attempts = new HashMap<>();
    private long lastSweep;

    public AttemptLimit(int max, Duration window) {
        if (max < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("an attempt limit needs max >= 1 and a positive window");
        }
        this.max = max;
        this.windowMillis = window.toMillis();
    }

    /** Counts an attempt of {@code key} at {@code nowMillis}; false (and not counted) when the key is over its limit. */
    public synchronized boolean tryAttempt(String key, long nowMillis) {
        sweep(nowMillis);
        ArrayDeque<Long> times = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
        forgetOld(times, nowMillis);
        if (times.size() >= max) {
            return false;
        }
        times.addLast(nowMillis);
        return true;
    }

    /** How many keys are remembered; for tests. */
    public synchronized int keys() {
        return attempts.size();
    }

    // once per window, drop the keys without a recent attempt so that the map does not grow without end
    private void sweep(long nowMillis) {
        if (nowMillis - lastSweep < windowMillis) {
            return;
        }
        lastSweep = nowMillis;
        for (Iterator<ArrayDeque<Long>> it = attempts.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Long> times = it.next();
            forgetOld(times, nowMillis);
            if (times.isEmpty()) {
                it.remove();
            }
        }
    }

    private void forgetOld(ArrayDeque<Long> times, long nowMillis) {
        while (!times.isEmpty() && times.peekFirst() <= nowMillis - windowMillis) {
            times.removeFirst();
        }
    }
}
