package dev.livepet.viewer.active.rules;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class TreatRuleTest {
    private static PetState pet(String owner, boolean alive) {
        return new PetState(7, owner, "Rex", Species.DOG, 3, 250, alive, 4, alive ? Cause.FED : Cause.DIED, 0, 0, null);
    }

    @Test
    void anotherPlayersLivingPetGetsATreatFromAnywhereButItsOwnPage() {
        assertThat(TreatRule.refusal(pet("ann", true), "bob", OptionalLong.empty())).isEmpty();
        assertThat(TreatRule.refusal(pet("ann", true), "bob", OptionalLong.of(8))).isEmpty();
        assertThat(TreatRule.refusal(pet(null, true), "bob", OptionalLong.of(8))).isEmpty();
        assertThat(TreatRule.refusal(pet("ann", true), "bob", OptionalLong.of(7))).contains(TreatRule.Refusal.THIS_PAGE);
    }

    @Test
    void notOnesOwnPetNorADeadOne() {
        assertThat(TreatRule.refusal(pet("ann", true), "ann", OptionalLong.of(8))).contains(TreatRule.Refusal.OWN_PET);
        assertThat(TreatRule.refusal(pet("ann", false), "bob", OptionalLong.empty())).contains(TreatRule.Refusal.DEAD);
    }
}
