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
}
