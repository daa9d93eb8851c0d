package dev.livepet.viewer.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptLimitTest {
    @Test
    void aKeyGetsItsAttemptsPerWindowAndMoreOnceTheOldOnesAreOutOfIt() {
        AttemptLimit attempts = new AttemptLimit(3, Duration.ofMinutes(5));
        long t = 1_000_000;
        assertThat(attempts.tryAttempt("ann", t)).isTrue();
        assertThat(attempts.tryAttempt("ann", t + 1_000)).isTrue();
        assertThat(attempts.tryAttempt("ann", t + 2_000)).isTrue();
        assertThat(attempts.tryAttempt("ann", t + 3_000)).isFalse();
        // another key has its own count
        assertThat(attempts.tryAttempt("bob", t + 3_000)).isTrue();
        // refused attempts do not count: five minutes after the first, one attempt is free again
        assertThat(attempts.tryAttempt("ann", t + 300_000)).isTrue();
        assertThat(attempts.tryAttempt("ann", t + 300_500)).isFalse();
        assertThat(attempts.tryAttempt("ann", t + 302_000)).isTrue();
    }

    @Test
    void keysWithoutRecentAttemptsAreForgotten() {
        AttemptLimit attempts = new AttemptLimit(3, Duration.ofMinutes(1));
        for (int i = 0; i < 100; i++) {
            attempts.tryAttempt("player" + i, 0);
        }
        assertThat(attempts.keys()).isEqualTo(100);
        attempts.tryAttempt("late", 120_000);
        assertThat(attempts.keys()).isEqualTo(1);
    }
}
