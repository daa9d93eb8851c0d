package dev.livepet.simulator.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TickClockTest {
    @Test
    void aClockStartsBeforeItsFirstTickAndAdvancesByOne() {
        TickClock clock = new TickClock();
        assertThat(clock.tick()).isZero();

        assertThat(clock.advance(1_000)).isEqualTo(1);
        assertThat(clock.advance(6_000)).isEqualTo(2);

        assertThat(clock.tick()).isEqualTo(2);
        assertThat(clock.at()).isEqualTo(6_000);
    }

    @Test
    void aRestoreMovesTheClockToTheHighestTickReadAndNeverBack() {
        TickClock clock = new TickClock();
        clock.restore(7, 700);
        clock.restore(5, 500);
        clock.restore(7, 999);

        assertThat(clock.tick()).isEqualTo(7);
        assertThat(clock.at()).isEqualTo(700);
        assertThat(clock.advance(800)).isEqualTo(8);
    }

    @Test
    void ticksBeyondWhatAPetsIntHoldsAreRefused() {
        TickClock clock = new TickClock();
        assertThatThrownBy(() -> clock.restore(TickClock.MAX_TICK + 1, 0)).isInstanceOf(IllegalArgumentException.class);
        clock.restore(TickClock.MAX_TICK, 0);
        assertThatThrownBy(() -> clock.advance(1)).isInstanceOf(IllegalStateException.class);
    }
}
