package dev.livepet.viewer.pets.rules;

import java.util.Objects;

/**
 * Who sees what of a pet: its owner sees it live and feeds it; another player visits a read-only card and may give it
 * a treat; once dead, every player sees its final state.
 */
public enum PetAccess {
    /** the owner of a living pet: the live page with the feed button */
    OWNER,
    /** a dead pet: its final state, read only, for every player */
    MEMORIAL,
    /** someone else's living pet: a read-only card (no live stream) with the treat button */
    VISITOR;

    public static PetAccess of(String owner, boolean alive, String playerId) {
        if (!alive) {
            return MEMORIAL;
        }
        return owner != null && Objects.equals(owner, playerId) ? OWNER : VISITOR;
    }
}
