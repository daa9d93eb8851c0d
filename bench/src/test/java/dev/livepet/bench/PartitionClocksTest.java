package dev.livepet.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each partition's ticks counted: gaps and repeats, and the world's pace against one tick per partition per interval. */
class PartitionClocksTest {

    @Test
    void ticksOneAfterAnotherInEveryPartitionHaveNoGapAndNoRepeat() {
        PartitionClocks clocks = new PartitionClocks();
        clocks.tick(0, 40);        // the reader starts anywhere
        clocks.tick(1, 7);
        clocks.tick(0, 41);
        clocks.tick(1, 8);
        clocks.tick(0, 42);

        assertThat(clocks.ticks()).isEqualTo(5);
        assertThat(clocks.missed()).isZero();
        assertThat(clocks.repeated()).isZero();
        assertThat(clocks.lastTicks()).isEqualTo(Map.of(0, 42L, 1, 8L));
    }

    @Test
    void aJumpCountsTheMissingTicksAndAnOldNumberCountsAsARepeat() {
        PartitionClocks clocks = new PartitionClocks();
        clocks.tick(3, 10);
        clocks.tick(3, 13);        // 11 and 12 missing
        clocks.tick(3, 13);        // twice
        clocks.tick(3, 12);        // from the past
        clocks.tick(3, 14);

        assertThat(clocks.ticks()).isEqualTo(3);
        assertThat(clocks.missed()).isEqualTo(2);
        assertThat(clocks.repeated()).isEqualTo(2);
        assertThat(clocks.lastTicks()).containsEntry(3, 14L);
    }

    @Test
    void thePaceIsTickRecordsAgainstOnePerPartitionPerInterval() {
        // 24 partitions, 60 s, a tick every 5 s: 288 expected
        assertThat(PartitionClocks.pace(288, 60, 24, 5)).isCloseTo(1.0, within(1e-9));
        assertThat(PartitionClocks.pace(180, 60, 24, 5)).isCloseTo(0.625, within(1e-9));
        assertThat(PartitionClocks.pace(5, 0, 24, 5)).isZero();
    }
}
