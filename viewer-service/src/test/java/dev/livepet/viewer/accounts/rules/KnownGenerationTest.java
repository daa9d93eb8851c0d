package dev.livepet.viewer.accounts.rules;

import dev.livepet.viewer.accounts.rules.KnownGeneration.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class KnownGenerationTest {
    private static final Duration TRUST = Duration.ofSeconds(5);
    private static final long SECOND = 1_000_000_000L;
    private final KnownGeneration known = new KnownGeneration(3, 100 * SECOND);

    @Test
    void withoutPostgresTheLastGenerationLearnedVouchesForItsSessionsHoweverOldAndNoOther() {
        assertThat(known.vouchesFor(3)).isTrue();
        assertThat(known.vouchesFor(2)).as("an ended session").isFalse();
        assertThat(known.vouchesFor(4)).as("a raise not learned: asked for once PostgreSQL answers").isFalse();
    }

    @Test
    void theKnownGenerationIsAcceptedWhileFreshAndAskedForAgainAfterwards() {
        assertThat(known.of(3, 100 * SECOND, TRUST)).isEqualTo(Verdict.ACCEPT);
        assertThat(known.of(3, 105 * SECOND - 1, TRUST)).isEqualTo(Verdict.ACCEPT);
        assertThat(known.of(3, 105 * SECOND, TRUST)).isEqualTo(Verdict.ASK);
        assertThat(known.of(3, 100 * SECOND, Duration.ZERO)).as("no trust: always ask").isEqualTo(Verdict.ASK);
    }

    @Test
    void anOlderGenerationIsRefusedAtOnceEvenLongAfterAndANewerOneIsAskedFor() {
        assertThat(known.of(2, 100 * SECOND, TRUST)).isEqualTo(Verdict.REFUSE);
        assertThat(known.of(0, 900 * SECOND, TRUST)).isEqualTo(Verdict.REFUSE);
        assertThat(known.of(4, 100 * SECOND, TRUST)).as("a raise not heard of yet").isEqualTo(Verdict.ASK);
    }

    @Test
    void theHigherGenerationWinsWhateverCameLastAndOfEqualOnesTheLater() {
        KnownGeneration raised = new KnownGeneration(4, 90 * SECOND);
        KnownGeneration later = new KnownGeneration(3, 101 * SECOND);
        assertThat(known.or(raised)).isEqualTo(raised);
        assertThat(raised.or(known)).isEqualTo(raised);
        assertThat(known.or(later)).isEqualTo(later);
        assertThat(later.or(known)).isEqualTo(later);
    }

    @Test
    void itIsOldOnceTheTrustHasPassed() {
        assertThat(known.olderThan(TRUST, 105 * SECOND - 1)).isFalse();
        assertThat(known.olderThan(TRUST, 105 * SECOND)).isTrue();
    }
}
