package dev.livepet.viewer.pets.rules;

import dev.livepet.contract.PetState;

import java.util.Objects;
import java.util.Optional;

/** Who may give a pet a meal: only its owner, and only while it lives. */
public final class MealRule {
    public enum Refusal { NOT_OWNER, DEAD }

    private MealRule() {
    }

    /** Why {@code playerId} may not feed {@code pet} a meal; empty when they may. */
    public static Optional<Refusal> refusal(PetState pet, String playerId) {
        if (pet.owner() == null || !Objects.equals(pet.owner(), playerId)) {
            return Optional.of(Refusal.NOT_OWNER);
        }
        if (!pet.alive()) {
            return Optional.of(Refusal.DEAD);
        }
        return Optional.empty();
    }
}
