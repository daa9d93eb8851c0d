package dev.livepet.bench;

import org.junit.jupiter.api.Test;

import static dev.livepet.bench.TickContinuity.Step.BACK;
import static dev.livepet.bench.TickContinuity.Step.EVENT;
import static dev.livepet.bench.TickContinuity.Step.FIRST;
import static dev.livepet.bench.TickContinuity.Step.REPEAT;
import static dev.livepet.bench.TickContinuity.Step.SKIP;
import static dev.livepet.bench.TickContinuity.Step.TICK;
import static org.assertj.core.api.Assertions.assertThat;

/** One watcher's frames: a tick goes up by exactly one, an event keeps the tick and raises the version. */
class TickContinuityTest {
    private final TickContinuity frames = new TickContinuity();

    @Test
    void aFramePerTickAndAFramePerEventIsContinuous() {
        assertThat(frames.frame(3, 100)).isEqualTo(FIRST);
        assertThat(frames.frame(3, 101)).isEqualTo(TICK);
        assertThat(frames.frame(4, 101)).isEqualTo(EVENT);   // fed at tick 101
        assertThat(frames.frame(5, 101)).isEqualTo(EVENT);   // a treat at the same tick
        assertThat(frames.frame(5, 102)).isEqualTo(TICK);
        assertThat(frames.frame(6, 103)).isEqualTo(TICK);    // died at tick 103: an event that holds at the next tick

        assertThat(frames.frames()).isEqualTo(6);
        assertThat(frames.skips() + frames.repeats() + frames.backs()).isZero();
    }

    @Test
    void aTickJumpedOverIsASkipCountedWithTheTicksItMissed() {
        frames.frame(3, 100);

        assertThat(frames.frame(3, 103)).isEqualTo(SKIP);
        assertThat(frames.frame(4, 105)).isEqualTo(SKIP);
        assertThat(frames.frame(4, 106)).isEqualTo(TICK);    // measured from the newest frame, not the lost ones

        assertThat(frames.skips()).isEqualTo(2);
        assertThat(frames.skippedTicks()).isEqualTo(3);
    }

    @Test
    void theSameFrameAgainIsARepeatAndAnOlderOneGoesBack() {
        frames.frame(3, 100);
        frames.frame(3, 101);

        assertThat(frames.frame(3, 101)).isEqualTo(REPEAT);
        assertThat(frames.frame(3, 100)).isEqualTo(BACK);
        assertThat(frames.frame(2, 101)).isEqualTo(BACK);
        assertThat(frames.frame(3, 102)).as("measured against 101, not the frames from the past").isEqualTo(TICK);

        assertThat(frames.repeats()).isEqualTo(1);
        assertThat(frames.backs()).isEqualTo(2);
        assertThat(frames.skips()).isZero();
    }

    @Test
    void aRestartForgetsTheCountsButMeasuresTheNextFrameAgainstTheLast() {
        frames.frame(3, 100);
        frames.frame(3, 104);      // before the run: the opening state was behind
        frames.restart();

        assertThat(frames.skips()).isZero();
        assertThat(frames.frame(3, 106)).isEqualTo(SKIP);
        assertThat(frames.skippedTicks()).isEqualTo(1);
        assertThat(frames.frames()).isEqualTo(1);
    }
}
