package dev.livepet.viewer.pets.rules;

import java.util.Objects;

/** Who may look at a pet: its owner while it lives; once dead, any player (read only); nobody else. */
public enum PetAccess {
    /** the owner of a living pet: the live page with the feed button */
    OWNER,
    /** a dead pet: its final state, read only, for every player */
    MEMORIAL,
    /** someone else's living pet */
    REFUSED;

    public static PetAccess of(String owner, boolean alive, String playerId) {
        if (!alive) {
            return MEMORIAL;
        }
        return owner != null && Objects.equals(owner, playerId) ? OWNER : REFUSED;
    }
}
