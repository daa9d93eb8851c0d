package dev.livepet.viewer.limits.rules;

import java.time.Duration;
import java.time.Instant;

/** A fixed-window rate limit: at most {@code limit} actions of a player in each window of {@code length}. */
public record RateWindow(int limit, Duration length) {
    public RateWindow {
        if (limit < 1 || length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("a rate limit needs a limit ≥ 1 and a window > 0");
        }
    }

    /** The window {@code now} falls in, counted from the epoch; every instance agrees on it. */
    public long windowAt(Instant now) {
        return Math.floorDiv(now.toEpochMilli(), length.toMillis());
    }

    /** Whether the {@code used}-th action of a window (counting this one) is allowed. */
    public boolean allows(int used) {
        return used <= limit;
    }

    /** A window's length as a sentence says it: "10 seconds", "hour", "2 hours", "90 minutes". */
    public static String spoken(Duration length) {
        long seconds = length.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds == 3600 ? "hour" : seconds / 3600 + " hours";
        }
        return seconds % 60 == 0 ? (seconds == 60 ? "minute" : seconds / 60 + " minutes") : seconds + " seconds";
    }
}
