package dev.livepet.contract;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The closed form against the one-tick-at-a-time rule it replaces, for random pets and rule numbers. */
class TickRuleTest {

    @Test
    void theDerivedStateEqualsTickingOneTickAtATime() {
        Random random = new Random(20261206);
        for (int i = 0; i < 20_000; i++) {
            TickRule rule = new TickRule(1 + random.nextInt(5), random.nextInt(50), random.nextInt(2_000));
            int age = random.nextInt(20_000);
            int hunger = random.nextInt(rule.maxHunger() + 1);
            long from = random.nextInt(1_000_000);
            int ticks = random.nextInt(3_000);
            PetState last = new PetState(1 + random.nextInt(1_000_000), null, "Rex", Species.FOX, age, hunger, true,
                    1 + random.nextInt(100), Cause.FED, from, 5, "c");

            int a = age;
            int h = hunger;
            for (int t = 0; t < ticks; t++) {
                a = a + rule.agePerTick();
                h = Math.min(h + rule.hungerPerTick(), rule.maxHunger());
            }
            PetState derived = rule.stateAt(last, from + ticks, 77);

            assertThat(derived.age()).as("age of %s after %d ticks", last, ticks).isEqualTo(a);
            assertThat(derived.hunger()).as("hunger of %s after %d ticks", last, ticks).isEqualTo(h);
            assertThat(derived.version()).isEqualTo(last.version());
            assertThat(derived.tick()).isEqualTo(from + ticks);
            if (ticks > 0) {
                assertThat(derived.cause()).isEqualTo(Cause.TICK);
                assertThat(derived.at()).isEqualTo(77);
                assertThat(derived.command()).isNull();
            } else {
                assertThat(derived).isSameAs(last);
            }
        }
    }

    @Test
    void aDeadPetAndAnEarlierTickChangeNothing() {
        TickRule rule = new TickRule(1, 5, 500);
        PetState dead = new PetState(1, null, "Rex", Species.FOX, 10_001, 500, false, 3, Cause.DIED, 10_001, 5, null);
        assertThat(rule.stateAt(dead, 20_000, 9)).isSameAs(dead);
        PetState fed = new PetState(1, null, "Rex", Species.FOX, 10, 100, true, 3, Cause.FED, 50, 5, "c");
        assertThat(rule.stateAt(fed, 40, 9)).isSameAs(fed);
        assertThat(TickRule.stateAt(fed, new PartitionTick(0, 1, 52, 9, rule)).age()).isEqualTo(12);
    }

    @Test
    void hugeGapsNeitherOverflowNorPassTheHungerCap() {
        TickRule rule = new TickRule(1, 5, 500);
        assertThat(rule.ageAfter(10, Long.MAX_VALUE / 2)).isEqualTo(Integer.MAX_VALUE);
        assertThat(rule.hungerAfter(10, Long.MAX_VALUE / 2)).isEqualTo(500);
        assertThat(rule.hungerAfter(600, 3)).as("hunger above the cap (rules lowered) is not raised").isEqualTo(600);
    }
}
