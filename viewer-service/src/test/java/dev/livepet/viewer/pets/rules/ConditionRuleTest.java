package dev.livepet.viewer.pets.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConditionRuleTest {
    private final ConditionRule rule = new ConditionRule(300, 400);

    @Test
    void aLivingPetIsContentBelowTheHungryThreshold() {
        assertThat(rule.of(0, true)).isEqualTo(PetCondition.CONTENT);
        // a newborn (hunger 250, three hearts) is content
        assertThat(rule.of(250, true)).isEqualTo(PetCondition.CONTENT);
        assertThat(rule.of(299, true)).isEqualTo(PetCondition.CONTENT);
    }

    @Test
    void aLivingPetIsHungryFromTheHungryThresholdAndStarvingFromTheStarvingOne() {
        assertThat(rule.of(300, true)).isEqualTo(PetCondition.HUNGRY);
        assertThat(rule.of(399, true)).isEqualTo(PetCondition.HUNGRY);
        assertThat(rule.of(400, true)).isEqualTo(PetCondition.STARVING);
        assertThat(rule.of(500, true)).isEqualTo(PetCondition.STARVING);
    }

    @Test
    void aDeadPetIsDeadWhateverItsHunger() {
        assertThat(rule.of(0, false)).isEqualTo(PetCondition.DEAD);
        assertThat(rule.of(500, false)).isEqualTo(PetCondition.DEAD);
    }

    @Test
    void theThresholdsAreSettings() {
        ConditionRule strict = new ConditionRule(100, 200);
        assertThat(strict.of(150, true)).isEqualTo(PetCondition.HUNGRY);
        assertThat(strict.of(250, true)).isEqualTo(PetCondition.STARVING);
    }

    @Test
    void thresholdsOutOfOrderAreRefused() {
        assertThatThrownBy(() -> new ConditionRule(400, 300)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hungry-from");
    }

    @Test
    void conditionsHaveTheirPictureNames() {
        assertThat(PetCondition.STARVING.id()).isEqualTo("starving");
        assertThat(PetCondition.DEAD.id()).isEqualTo("dead");
    }
}
