package dev.livepet.viewer.accounts.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class KnownSessionTest {
    private static final Duration TRUST = Duration.ofSeconds(5);
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aLivingSessionIsTrustedForTheIntervalThenAskedAgain() {
        KnownSession known = new KnownSession(10_000, 0);
        assertThat(known.answers(4 * SECOND, TRUST)).isTrue();
        assertThat(known.answers(5 * SECOND, TRUST)).isFalse();
    }

    @Test
    void itLivesUntilItsEndAndNotAMomentLonger() {
        KnownSession known = new KnownSession(10_000, 0);
        assertThat(known.livesAt(9_999)).isTrue();
        assertThat(known.livesAt(10_000)).isFalse();
    }

    @Test
    void anEndedSessionAnswersForGoodAndNeverLives() {
        KnownSession ended = KnownSession.ended(0);
        assertThat(ended.answers(1_000 * SECOND, TRUST)).isTrue();
        assertThat(ended.livesAt(0)).isFalse();
        assertThat(ended.livesAt(Long.MAX_VALUE)).isFalse();
    }
}
