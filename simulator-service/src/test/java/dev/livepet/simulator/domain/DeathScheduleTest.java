package dev.livepet.simulator.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DeathScheduleTest {
    @Test
    void deathsComeOutByTickWhateverOrderTheyWentIn() {
        Random random = new Random(42);
        DeathSchedule schedule = new DeathSchedule();
        List<int[]> expected = new ArrayList<>();
        for (int slot = 0; slot < 5_000; slot++) {
            int tick = random.nextInt(300);
            schedule.add(tick, slot);
            expected.add(new int[]{tick, slot});
        }
        expected.sort(Comparator.<int[]>comparingInt(e -> e[0]).thenComparingInt(e -> e[1]));

        List<int[]> taken = new ArrayList<>();
        for (int tick = 0; tick < 300; tick++) {
            while (schedule.dueBy(tick)) {
                taken.add(new int[]{tick, schedule.takeFirst()});
            }
        }

        assertThat(taken).usingElementComparator(Comparator.<int[]>comparingInt(e -> e[0]).thenComparingInt(e -> e[1]))
                .containsExactlyElementsOf(expected);
        assertThat(schedule.size()).isZero();
    }

    @Test
    void aRebuiltScheduleHoldsExactlyTheDeathsGivenAndNothingBeforeTheirTick() {
        DeathSchedule schedule = new DeathSchedule();
        schedule.add(1, 99);
        schedule.rebuild(new int[]{9, 3, 5, 3}, new int[]{0, 1, 2, 3}, 4);

        assertThat(schedule.dueBy(2)).as("the deaths before the rebuild are gone").isFalse();
        assertThat(schedule.dueBy(3)).isTrue();
        assertThat(List.of(schedule.takeFirst(), schedule.takeFirst())).containsExactly(1, 3);
        assertThat(schedule.dueBy(4)).isFalse();
        assertThat(schedule.takeFirst()).isEqualTo(2);
        assertThat(schedule.takeFirst()).isEqualTo(0);
        assertThat(schedule.size()).isZero();
    }

    @Test
    void aTrimmedScheduleHoldsEightBytesPerDeath() {
        DeathSchedule schedule = new DeathSchedule();
        for (int slot = 0; slot < 1_000; slot++) {
            schedule.add(7, slot);
        }
        schedule.trimToSize();

        assertThat(schedule.bytes()).isEqualTo(32 + 8 * 1_000);
    }
}
