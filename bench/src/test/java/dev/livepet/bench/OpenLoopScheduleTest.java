package dev.livepet.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The open-loop schedule: request i is due at start + i / rate, whatever became of the ones before. */
class OpenLoopScheduleTest {
    private static final long START = 1_000_000_000L;

    @Test
    void requestIIsDueAtStartPlusIOverTheRate() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(START, 100, 10);

        assertThat(schedule.asked()).isEqualTo(1_000);
        assertThat(schedule.dueNanos(0)).isEqualTo(START);
        assertThat(schedule.dueNanos(1)).isEqualTo(START + 10_000_000L);
        assertThat(schedule.dueNanos(999)).isEqualTo(START + 9_990_000_000L);
    }

    @Test
    void aRateThatDoesNotDivideASecondStillSpreadsTheRequestsEvenly() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(START, 3, 2);

        assertThat(schedule.asked()).isEqualTo(6);
        assertThat(schedule.dueNanos(1)).isEqualTo(START + 333_333_333L);
        assertThat(schedule.dueNanos(2)).isEqualTo(START + 666_666_667L);
        assertThat(schedule.dueNanos(3)).isEqualTo(START + 1_000_000_000L);
    }

    @Test
    void dueByCountsTheRequestsWhoseTimeHasComeAndNeverMoreThanAsked() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(START, 3, 2);

        assertThat(schedule.dueBy(START - 1)).isZero();
        assertThat(schedule.dueBy(START)).isEqualTo(1);
        assertThat(schedule.dueBy(START + 333_333_332L)).isEqualTo(1);
        assertThat(schedule.dueBy(START + 333_333_333L)).isEqualTo(2);
        assertThat(schedule.dueBy(START + 666_666_666L)).as("request 2 is due a nanosecond later").isEqualTo(2);
        assertThat(schedule.dueBy(START + 666_666_667L)).isEqualTo(3);
        assertThat(schedule.dueBy(START + 60_000_000_000L)).isEqualTo(6);
    }

    @Test
    void aRequestSentAfterItsTimePlusTheToleranceIsLate() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(START, 100, 10);
        long tolerance = 5_000_000L;

        assertThat(schedule.late(10, START + 100_000_000L + tolerance, tolerance)).isFalse();
        assertThat(schedule.late(10, START + 100_000_000L + tolerance + 1, tolerance)).isTrue();
        // a client three seconds behind owes request 10 still at its own time: it is late, not re-timed
        assertThat(schedule.late(10, START + 3_000_000_000L, tolerance)).isTrue();
    }

    @Test
    void aLoadNeedsARateAndADuration() {
        assertThatThrownBy(() -> new OpenLoopSchedule(START, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(START, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientTooFarBehindGivesUpOnlyOnceTheLoadAndItsGraceAreOver() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(START, 100, 10);
        long end = START + 10_000_000_000L;

        assertThat(schedule.stillSendable(START, 0)).isTrue();
        assertThat(schedule.stillSendable(end, 0)).as("the load ends when the 1,001st would be due").isTrue();
        assertThat(schedule.stillSendable(end + 1, 0)).isFalse();
        assertThat(schedule.stillSendable(end + 5_000_000_000L, 5_000_000_000L)).isTrue();
        assertThat(schedule.stillSendable(end + 5_000_000_001L, 5_000_000_000L)).isFalse();
    }
}
