package dev.livepet.viewer.accounts.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginDelayTest {
    private final LoginDelay delay = new LoginDelay(10, Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void theFreeAttemptsDoNotWait() {
        for (int attempt = 1; attempt <= 10; attempt++) {
            assertThat(delay.before(attempt)).as("attempt %d", attempt).isZero();
        }
    }

    @Test
    void eachFurtherAttemptWaitsTwiceAsLongUpToTheCeiling() {
        assertThat(delay.before(11)).isEqualTo(Duration.ofSeconds(1));
        assertThat(delay.before(12)).isEqualTo(Duration.ofSeconds(2));
        assertThat(delay.before(13)).isEqualTo(Duration.ofSeconds(4));
        assertThat(delay.before(15)).isEqualTo(Duration.ofSeconds(16));
        assertThat(delay.before(16)).isEqualTo(Duration.ofSeconds(30));
        assertThat(delay.before(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aDelayThatCouldNeverEndOrGoBackIsRefused() {
        assertThatThrownBy(() -> new LoginDelay(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginDelay(10, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
