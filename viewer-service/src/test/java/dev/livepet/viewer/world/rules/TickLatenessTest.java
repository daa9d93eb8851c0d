package dev.livepet.viewer.world.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TickLatenessTest {
    private final TickLateness lateness = new TickLateness(5_000, 60_000);

    @Test
    void aTickIsAsLateAsItsGapToThePartitionsPreviousTickExceedsTheInterval() {
        assertThat(lateness.tick(3, 10, 100_000)).as("the first tick seen says nothing").isEqualTo(-1);
        assertThat(lateness.tick(3, 11, 105_000)).isZero();
        assertThat(lateness.tick(3, 12, 110_250)).isEqualTo(250);
        // early (the clock caught up) counts as on time
        assertThat(lateness.tick(3, 13, 115_000)).isZero();
    }

    @Test
    void eachPartitionIsMeasuredAgainstItsOwnTicks() {
        lateness.tick(0, 1, 0);
        lateness.tick(1, 7, 2_000);
        assertThat(lateness.tick(0, 2, 5_400)).isEqualTo(400);
        assertThat(lateness.tick(1, 8, 7_000)).isZero();
    }

    @Test
    void aGapLongerThanAStopIsDowntimeNotLateness() {
        lateness.tick(3, 10, 0);
        assertThat(lateness.tick(3, 11, 3_600_000)).isEqualTo(-1);
        assertThat(lateness.tick(3, 12, 3_605_100)).isEqualTo(100);
    }

    @Test
    void ticksThatAreNotConsecutiveOrOlderSayNothing() {
        lateness.tick(3, 10, 0);
        assertThat(lateness.tick(3, 12, 10_000)).as("a tick between was not read (a skip)").isEqualTo(-1);
        assertThat(lateness.tick(3, 11, 7_000)).as("older than one seen").isEqualTo(-1);
        assertThat(lateness.tick(3, 13, 16_000)).isEqualTo(1_000);
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new TickLateness(5_000, 1_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TickLateness(0, 60_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
