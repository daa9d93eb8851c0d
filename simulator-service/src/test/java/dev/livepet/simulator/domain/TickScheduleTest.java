package dev.livepet.simulator.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TickScheduleTest {
    private static final long MS = 1_000_000L;

    @Test
    void ticksAreDueOneIntervalApartFromTheStart() {
        long t0 = 7_000 * MS;
        TickSchedule schedule = new TickSchedule(Duration.ofMillis(500), t0);
        List<Long> dueAt = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long now = schedule.dueAt();
            assertThat(schedule.isDue(now)).isTrue();
            assertThat(schedule.isDue(now - 1)).isFalse();
            dueAt.add(now - t0);
            schedule.advance(now);
        }
        assertThat(dueAt).containsExactly(500 * MS, 1_000 * MS, 1_500 * MS, 2_000 * MS);
        assertThat(schedule.skips()).isZero();
    }

    @Test
    void tellsHowLongToWaitAndHowLateATickIs() {
        TickSchedule schedule = new TickSchedule(Duration.ofSeconds(5), 0);
        assertThat(schedule.nanosUntilDue(1_000 * MS)).isEqualTo(4_000 * MS);
        assertThat(schedule.lateness(1_000 * MS)).isZero();
        assertThat(schedule.nanosUntilDue(5_030 * MS)).isZero();
        assertThat(schedule.lateness(5_030 * MS)).isEqualTo(30 * MS);
    }

    @Test
    void aLateTickWithinAnIntervalKeepsTheRhythm() {
        TickSchedule schedule = new TickSchedule(Duration.ofMillis(500), 0);
        schedule.advance(900 * MS);
        assertThat(schedule.skips()).isZero();
        assertThat(schedule.dueAt()).isEqualTo(1_000 * MS);
    }

    @Test
    void aStallLongerThanAnIntervalSkipsAheadInsteadOfCatchingUp() {
        TickSchedule schedule = new TickSchedule(Duration.ofMillis(500), 0);
        long resumed = 3_000 * MS;
        schedule.advance(resumed);
        assertThat(schedule.skips()).isEqualTo(1);
        assertThat(schedule.dueAt()).isEqualTo(resumed + 500 * MS);
        assertThat(schedule.isDue(resumed)).isFalse();
    }

    @Test
    void phasesCutTheIntervalAndEachPartitionTicksOncePerInterval() {
        TickSchedule schedule = new TickSchedule(Duration.ofMillis(500), 5, 0);
        assertThat(schedule.stepNanos()).isEqualTo(100 * MS);
        List<Integer> phases = new ArrayList<>();
        List<Long> partitionSevenTicks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long now = schedule.dueAt();
            phases.add(schedule.phase());
            if (schedule.ticksNext(7)) {
                partitionSevenTicks.add(now);
            }
            schedule.advance(now);
        }
        assertThat(phases).containsExactly(0, 1, 2, 3, 4, 0, 1, 2, 3, 4);
        assertThat(partitionSevenTicks).as("7 % 5 = phase 2, one interval apart").containsExactly(300 * MS, 800 * MS);
        assertThat(schedule.skips()).isZero();
    }

    @Test
    void stepsLessThanAnIntervalLateAreDueAtOnceInTheirOrder() {
        TickSchedule schedule = new TickSchedule(Duration.ofMillis(500), 5, 0);
        long resumed = 450 * MS; // step 0 was due at 100 ms: steps 1..3 are due too, none an interval late
        schedule.advance(resumed);
        assertThat(schedule.skips()).isZero();
        assertThat(schedule.phase()).isEqualTo(1);
        assertThat(schedule.isDue(resumed)).isTrue();
        assertThat(schedule.lateness(resumed)).isEqualTo(250 * MS);
    }

    @Test
    void aStepMoreThanAnIntervalLateStartsTheScheduleAgainAndKeepsThePhaseOrder() {
        TickSchedule schedule = new TickSchedule(Duration.ofMillis(500), 5, 0);
        long resumed = 800 * MS; // step 1 was due at 200 ms: its partitions would tick twice within an interval
        schedule.advance(resumed);
        assertThat(schedule.skips()).isEqualTo(1);
        assertThat(schedule.phase()).isEqualTo(1);
        assertThat(schedule.dueAt()).isEqualTo(resumed + 100 * MS);
    }

    @Test
    void refusesMorePhasesThanTheIntervalHasNanoseconds() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TickSchedule(Duration.ofNanos(10), 11, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 10 phases");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TickSchedule(Duration.ofSeconds(5), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
