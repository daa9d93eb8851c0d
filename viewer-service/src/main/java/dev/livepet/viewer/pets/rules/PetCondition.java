package dev.livepet.viewer.pets.rules;

import java.util.Locale;

/** How a pet looks in its picture: its mood follows its hunger, and a dead pet looks dead whatever its hunger. */
public enum PetCondition {
    CONTENT, HUNGRY, STARVING, DEAD;

    /** The name pictures and CSS use, e.g. {@code starving}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The condition of a pet with this hunger under these thresholds.
     *
     * @param hungryFrom   the hunger from which a living pet looks hungry
     * @param starvingFrom the hunger from which a living pet looks starving
     */
    public static PetCondition of(int hunger, boolean alive, int hungryFrom, int starvingFrom) {
        if (!alive) {
            return DEAD;
        }
        if (hunger >= starvingFrom) {
            return STARVING;
        }
        return hunger >= hungryFrom ? HUNGRY : CONTENT;
    }
}
