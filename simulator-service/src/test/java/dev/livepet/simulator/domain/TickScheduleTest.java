package dev.livepet.simulator.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TickScheduleTest {
    private static final long MS = 1_000_000L;

    @Test
    void theSlicesOfOneIntervalAreDueOneAfterTheOtherEvenlySpaced() {
        long t0 = 7_000 * MS;
        TickSchedule schedule = new TickSchedule(Duration.ofMillis(500), 5, t0);
        List<Integer> slices = new ArrayList<>();
        List<Long> dueAt = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long now = schedule.dueAt();
            assertThat(schedule.isDue(now)).isTrue();
            assertThat(schedule.isDue(now - 1)).isFalse();
            slices.add(schedule.slice());
            dueAt.add(now - t0);
            schedule.advance(now);
        }
        assertThat(slices).containsExactly(0, 1, 2, 3, 4, 0, 1, 2, 3, 4);
        assertThat(dueAt).containsExactly(0L, 100 * MS, 200 * MS, 300 * MS, 400 * MS,
                500 * MS, 600 * MS, 700 * MS, 800 * MS, 900 * MS);
        assertThat(schedule.skips()).isZero();
    }

    @Test
    void tellsHowLongToWaitAndHowLateASliceIs() {
        TickSchedule schedule = new TickSchedule(Duration.ofSeconds(5), 50, 0);
        schedule.advance(0);
        assertThat(schedule.nanosUntilDue(30 * MS)).isEqualTo(70 * MS);
        assertThat(schedule.lateness(30 * MS)).isZero();
        assertThat(schedule.nanosUntilDue(130 * MS)).isZero();
        assertThat(schedule.lateness(130 * MS)).isEqualTo(30 * MS);
    }

    @Test
    void aStallLongerThanAnIntervalSkipsAheadInsteadOfBurstingAndKeepsTheSliceOrder() {
        TickSchedule schedule = new TickSchedule(Duration.ofMillis(500), 5, 0);
        schedule.advance(0);
        long resumed = 3_000 * MS;
        schedule.advance(resumed);
        assertThat(schedule.skips()).isEqualTo(1);
        assertThat(schedule.slice()).isEqualTo(2);
        assertThat(schedule.dueAt()).isEqualTo(resumed);
        schedule.advance(resumed);
        assertThat(schedule.dueAt()).isEqualTo(resumed + 100 * MS);
    }
}
