package dev.livepet.viewer.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PetConditionTest {
    @Test
    void aLivingPetLooksContentHungryOrStarvingByItsHeartsAndADeadOneDead() {
        assertThat(PetCondition.of(true, 5, 3, 2)).isEqualTo(PetCondition.CONTENT);
        assertThat(PetCondition.of(true, 3, 3, 2)).isEqualTo(PetCondition.CONTENT);
        assertThat(PetCondition.of(true, 2, 3, 2)).isEqualTo(PetCondition.HUNGRY);
        assertThat(PetCondition.of(true, 1, 3, 2)).isEqualTo(PetCondition.STARVING);
        assertThat(PetCondition.of(true, 0, 3, 2)).isEqualTo(PetCondition.STARVING);
        assertThat(PetCondition.of(false, 5, 3, 2)).isEqualTo(PetCondition.DEAD);
        assertThat(PetCondition.STARVING.wireName()).isEqualTo("starving");
    }
}
