package dev.livepet.viewer.active.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreatPurseTest {
    private static final Duration HALF_HOUR = Duration.ofMinutes(30);

    @Test
    void periodsAreTheSameHalfHoursForEveryone() {
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        long p = TreatPurse.periodAt(t, HALF_HOUR);
        assertThat(TreatPurse.periodAt(t.plusSeconds(29 * 60 + 59), HALF_HOUR)).isEqualTo(p);
        assertThat(TreatPurse.periodAt(t.plusSeconds(30 * 60), HALF_HOUR)).isEqualTo(p + 1);
        assertThat(TreatPurse.periodAt(t.minusMillis(1), HALF_HOUR)).isEqualTo(p - 1);
        assertThat(TreatPurse.refillAfter(p, HALF_HOUR)).isEqualTo(Instant.parse("2026-11-30T10:30:00Z"));
    }

    @Test
    void givingCostsOneTreatUntilNoneIsLeft() {
        TreatPurse purse = TreatPurse.full(5, 100);
        for (int left = 4; left >= 0; left--) {
            assertThat(purse.canGive()).isTrue();
            purse = purse.afterGiving();
            assertThat(purse.treats()).isEqualTo(left);
        }
        assertThat(purse.canGive()).isFalse();
        TreatPurse empty = purse;
        assertThatThrownBy(empty::afterGiving).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new TreatPurse(-1, 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLaterPeriodRefillsToFullTheSameOneDoesNot() {
        TreatPurse empty = new TreatPurse(0, 100);
        assertThat(empty.in(100, 5)).isEqualTo(empty);
        assertThat(empty.in(101, 5)).isEqualTo(new TreatPurse(5, 101));
        assertThat(empty.in(150, 5)).isEqualTo(new TreatPurse(5, 150));
        // a clock behind the purse's (another instance's) does not take treats back
        assertThat(new TreatPurse(3, 101).in(100, 5)).isEqualTo(new TreatPurse(3, 101));
    }

    @Test
    void aShownPurseTakesOnlyNews() {
        TreatPurse shown = new TreatPurse(3, 100);
        assertThat(shown.isOlderThan(new TreatPurse(2, 100))).isTrue();
        assertThat(shown.isOlderThan(new TreatPurse(5, 101))).isTrue();
        assertThat(shown.isOlderThan(new TreatPurse(3, 100))).isFalse();
        assertThat(shown.isOlderThan(new TreatPurse(0, 99))).isFalse();
    }
}
