package dev.livepet.viewer.pets.rules;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MealRuleTest {
    private static PetState pet(String owner, boolean alive) {
        return new PetState(7, owner, "Rex", Species.DOG, 3, 250, alive, 4, alive ? Cause.FED : Cause.DIED, 0, 0, null);
    }

    @Test
    void theOwnerFeedsALivingPet() {
        assertThat(MealRule.refusal(pet("ann", true), "ann")).isEmpty();
    }

    @Test
    void nobodyElseDoes() {
        assertThat(MealRule.refusal(pet("ann", true), "bob")).contains(MealRule.Refusal.NOT_OWNER);
        // a seeded pet has no owner: nobody gives it a meal
        assertThat(MealRule.refusal(pet(null, true), "bob")).contains(MealRule.Refusal.NOT_OWNER);
    }

    @Test
    void aDeadPetEatsNoMore() {
        assertThat(MealRule.refusal(pet("ann", false), "ann")).contains(MealRule.Refusal.DEAD);
    }
}
