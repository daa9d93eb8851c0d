package dev.livepet.viewer.active.rules;

import dev.livepet.contract.PetState;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** Who may give a pet a treat: anyone but its owner, while it lives, and not the pet whose page they are on. */
public final class TreatRule {
    public enum Refusal { OWN_PET, THIS_PAGE, DEAD }

    private TreatRule() {
    }

    /**
     * Why {@code giverId}, on the page of pet {@code page} (empty on a page of no pet), may not treat {@code pet};
     * empty when they may.
     */
    public static Optional<Refusal> refusal(PetState pet, String giverId, OptionalLong page) {
        if (page.isPresent() && page.getAsLong() == pet.id()) {
            return Optional.of(Refusal.THIS_PAGE);
        }
        if (pet.owner() != null && Objects.equals(pet.owner(), giverId)) {
            return Optional.of(Refusal.OWN_PET);
        }
        if (!pet.alive()) {
            return Optional.of(Refusal.DEAD);
        }
        return Optional.empty();
    }
}
