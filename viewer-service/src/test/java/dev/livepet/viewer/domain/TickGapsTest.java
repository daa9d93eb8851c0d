package dev.livepet.viewer.domain;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TickGapsTest {
    private final TickGaps gaps = new TickGaps(5_000, 60_000, 1, 100);

    @Test
    void aTickIsAsLateAsItsGapToThePetsPreviousTickExceedsTheInterval() {
        assertThat(gaps.tick("7", 100_000)).isEqualTo(-1);
        assertThat(gaps.tick("7", 105_000)).isZero();
        assertThat(gaps.tick("7", 110_250)).isEqualTo(250);
        // early (a slice moved) counts as on time
        assertThat(gaps.tick("7", 115_000)).isZero();
    }

    @Test
    void aGapLongerThanAStopSaysNothing() {
        gaps.tick("7", 0);
        assertThat(gaps.tick("7", 3_600_000)).isEqualTo(-1);
        assertThat(gaps.tick("7", 3_605_100)).isEqualTo(100);
    }

    @Test
    void aDeadPetIsForgotten() {
        gaps.tick("7", 0);
        gaps.forget("7");
        assertThat(gaps.followed()).isZero();
        assertThat(gaps.tick("7", 5_000)).isEqualTo(-1);
    }

    @Test
    void onlyASampleOfPetsIsFollowedAndNoMoreThanTheLimit() {
        TickGaps sample = new TickGaps(5_000, 60_000, 16, 10);
        long sampled = IntStream.range(1, 16_001).mapToObj(String::valueOf).filter(sample::sampled).count();
        assertThat(sampled).isBetween(700L, 1_300L);
        IntStream.range(1, 100).forEach(id -> sample.tick(String.valueOf(id), 0));
        assertThat(sample.followed()).isEqualTo(10);
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new TickGaps(5_000, 1_000, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TickGaps(5_000, 60_000, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
