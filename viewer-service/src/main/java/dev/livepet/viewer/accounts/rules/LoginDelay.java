package dev.livepet.viewer.accounts.rules;

import java.time.Duration;

/**
 * How long a login for one email waits once that email has had its free attempts in a window: twice as long with
 * each further attempt, up to a ceiling. A guesser is slowed down; the player, who knows the password, still logs in.
 */
public record LoginDelay(int freeAttempts, Duration first, Duration ceiling) {
    public LoginDelay {
        if (freeAttempts < 1 || first.isNegative() || ceiling.compareTo(first) < 0) {
            throw new IllegalArgumentException("a login delay needs free attempts ≥ 1 and 0 ≤ first ≤ ceiling");
        }
    }

    /** The wait before the {@code attempt}-th attempt of a window (counting this one) is checked. */
    public Duration before(int attempt) {
        int over = attempt - freeAttempts;
        if (over <= 0) {
            return Duration.ZERO;
        }
        // 2^30 × a millisecond is already twelve days: past that, the ceiling
        long factor = over > 30 ? Long.MAX_VALUE : 1L << (over - 1);
        long millis = first.toMillis() > 0 && factor > ceiling.toMillis() / first.toMillis() ? ceiling.toMillis()
                : Math.min(ceiling.toMillis(), first.toMillis() * factor);
        return Duration.ofMillis(millis);
    }
}
