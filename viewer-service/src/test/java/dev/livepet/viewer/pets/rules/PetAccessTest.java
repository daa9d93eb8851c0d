package dev.livepet.viewer.pets.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PetAccessTest {
    @Test
    void theOwnerWatchesALivingPetOthersVisitItAndEveryoneSeesADeadOne() {
        assertThat(PetAccess.of("7", true, "7")).isEqualTo(PetAccess.OWNER);
        assertThat(PetAccess.of("7", true, "8")).isEqualTo(PetAccess.VISITOR);
        assertThat(PetAccess.of(null, true, "8")).isEqualTo(PetAccess.VISITOR);
        assertThat(PetAccess.of("7", false, "8")).isEqualTo(PetAccess.MEMORIAL);
        assertThat(PetAccess.of("7", false, "7")).isEqualTo(PetAccess.MEMORIAL);
    }
}
