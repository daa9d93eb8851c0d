package dev.livepet.simulator.domain;

import dev.livepet.contract.Cause;
import dev.livepet.contract.Food;
import dev.livepet.contract.TickRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorldRulesTest {
    private final WorldRules rules = WorldRules.original();

    @Test
    void theTickRuleIsTheContractsWithTheOriginalsNumbers() {
        assertThat(rules.tickRule()).isEqualTo(new TickRule(1, 5, 500));
        assertThat(rules.tickRule().ageAfter(41, 1)).isEqualTo(42);
        assertThat(rules.tickRule().hungerAfter(498, 1)).isEqualTo(500);
    }

    @Test
    void aPetDiesOnTheFirstTickThatTakesItsAgeAboveTheMaximum() {
        assertThat(rules.ticksToLive(0)).isEqualTo(10_001);
        assertThat(rules.ticksToLive(9_999)).isEqualTo(2);
        assertThat(rules.ticksToLive(10_000)).isEqualTo(1);
        WorldRules threeAYear = new WorldRules(Duration.ofSeconds(5), new TickRule(3, 5, 500), 10, 100, 20, 250, 3, 100);
        // ages 0, 3, 6, 9, 12: the fourth tick takes it above 10
        assertThat(threeAYear.ticksToLive(0)).isEqualTo(4);
        assertThat(threeAYear.ticksToLive(8)).isEqualTo(1);
        assertThat(threeAYear.ticksToLive(7)).isEqualTo(2);
    }

    @Test
    void aPetAlreadyAboveTheMaximumDiesAtTheNextTick() {
        assertThat(rules.ticksToLive(10_001)).isEqualTo(1);
        assertThat(rules.ticksToLive(60_000)).isEqualTo(1);
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
        WorldRules custom = new WorldRules(Duration.ofMillis(100), new TickRule(3, 40, 90), 5, 35, 11, 60, 2, 8);
        assertThat(custom.tickRule().ageAfter(1, 1)).isEqualTo(4);
        assertThat(custom.tickRule().hungerAfter(60, 1)).isEqualTo(90);
        assertThat(custom.ticksToLive(0)).isEqualTo(2);
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
        TickRule original = new TickRule(1, 5, 500);
        assertThatThrownBy(() -> new WorldRules(Duration.ZERO, original, 10_000, 100, 20, 250, 3, 100))
                .hasMessageContaining("tick-interval");
        assertThatThrownBy(() -> new WorldRules(Duration.ofSeconds(5), new TickRule(1, 5, 40_000), 10_000, 100, 20, 250, 3, 100))
                .hasMessageContaining("max-hunger");
        assertThatThrownBy(() -> new WorldRules(Duration.ofSeconds(5), original, 10_000, 100, 20, 501, 3, 100))
                .hasMessageContaining("initial-hunger");
        assertThatThrownBy(() -> new WorldRules(Duration.ofSeconds(5), original, 10_000, -1, 20, 250, 3, 100))
                .hasMessageContaining("meal");
        // a pet's age is kept in a char: the tick that kills the oldest pet must still fit in one
        assertThatThrownBy(() -> new WorldRules(Duration.ofSeconds(5), original, 65_535, 100, 20, 250, 3, 100))
                .hasMessageContaining("max-age");
        assertThat(new WorldRules(Duration.ofSeconds(5), original, 65_534, 100, 20, 250, 3, 100).maxAge()).isEqualTo(65_534);
    }
}
