package dev.livepet.simulator.domain;

import dev.livepet.contract.Cause;
import dev.livepet.contract.Food;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorldRulesTest {
    private final WorldRules rules = WorldRules.original();

    @Test
    void aTickAgesByOneAndAddsFiveHungerCappedAt500() {
        assertThat(rules.tickAge(41)).isEqualTo(42);
        assertThat(rules.tickHunger(250)).isEqualTo(255);
        assertThat(rules.tickHunger(498)).isEqualTo(500);
        assertThat(rules.tickHunger(500)).isEqualTo(500);
    }

    @Test
    void aPetDiesOnlyWhenItsAgeGoesAboveTheMaximumAndHungerNeverKills() {
        assertThat(rules.diesAt(10_000)).isFalse();
        assertThat(rules.diesAt(10_001)).isTrue();
        assertThat(rules.diesAt(rules.tickAge(10_000))).isTrue();
        assertThat(rules.diesAt(rules.tickAge(9_999))).isFalse();
    }

    @Test
    void aMealTakes100AndATreat20NeverBelowZero() {
        assertThat(rules.feed(true, 250, Food.MEAL)).isEqualTo(new WorldRules.Feeding(false, 150, Cause.FED));
        assertThat(rules.feed(true, 60, Food.MEAL)).isEqualTo(new WorldRules.Feeding(false, 0, Cause.FED));
        assertThat(rules.feed(true, 250, Food.TREAT)).isEqualTo(new WorldRules.Feeding(false, 230, Cause.TREAT));
        assertThat(rules.feed(true, 7, Food.TREAT)).isEqualTo(new WorldRules.Feeding(false, 0, Cause.TREAT));
    }

    @Test
    void aDeadPetIsNotFed() {
        WorldRules.Feeding feeding = rules.feed(false, 300, Food.MEAL);
        assertThat(feeding.ignored()).isTrue();
        assertThat(feeding).isSameAs(WorldRules.Feeding.IGNORED);
    }

    @Test
    void everyNumberComesFromTheSettings() {
        WorldRules custom = new WorldRules(Duration.ofMillis(100), 3, 40, 90, 5, 35, 11, 60, 2, 8);
        assertThat(custom.tickAge(1)).isEqualTo(4);
        assertThat(custom.tickHunger(60)).isEqualTo(90);
        assertThat(custom.diesAt(6)).isTrue();
        assertThat(custom.feed(true, 60, Food.MEAL).hunger()).isEqualTo(25);
        assertThat(custom.feed(true, 60, Food.TREAT).hunger()).isEqualTo(49);
        assertThat(custom.nameProblem("Rex")).isNull();
        assertThat(custom.nameProblem("Maximilian")).contains("2 to 8");
    }

    @Test
    void namesHave3To100Characters() {
        assertThat(rules.nameProblem("Rex")).isNull();
        assertThat(rules.nameProblem("x".repeat(100))).isNull();
        assertThat(rules.nameProblem("Al")).isNotNull();
        assertThat(rules.nameProblem("   ")).isNotNull();
        assertThat(rules.nameProblem("x".repeat(101))).isNotNull();
    }

    @Test
    void nonsenseSettingsAreRefusedAtStart() {
        assertThatThrownBy(() -> new WorldRules(Duration.ZERO, 1, 5, 500, 10_000, 100, 20, 250, 3, 100))
                .hasMessageContaining("tick-interval");
        assertThatThrownBy(() -> new WorldRules(Duration.ofSeconds(5), 1, 5, 40_000, 10_000, 100, 20, 250, 3, 100))
                .hasMessageContaining("max-hunger");
        assertThatThrownBy(() -> new WorldRules(Duration.ofSeconds(5), 1, 5, 500, 10_000, 100, 20, 501, 3, 100))
                .hasMessageContaining("initial-hunger");
        // a pet's age is kept in a char: the tick that kills the oldest pet must still fit in one
        assertThatThrownBy(() -> new WorldRules(Duration.ofSeconds(5), 1, 5, 500, 65_535, 100, 20, 250, 3, 100))
                .hasMessageContaining("max-age");
        assertThat(new WorldRules(Duration.ofSeconds(5), 1, 5, 500, 65_534, 100, 20, 250, 3, 100).maxAge()).isEqualTo(65_534);
    }
}
