package dev.livepet.viewer.domain;

import java.util.Locale;

/** How a pet looks in its picture; the wire name ({@code content}, …) names the picture's variant. */
public enum PetCondition {
    CONTENT, HUNGRY, STARVING, DEAD;

    /**
     * A living pet is hungry below {@code hungryBelowHearts} hearts and starving below {@code starvingBelowHearts}.
     */
    public static PetCondition of(boolean alive, int hearts, int hungryBelowHearts, int starvingBelowHearts) {
        if (!alive) {
            return DEAD;
        }
        if (hearts < starvingBelowHearts) {
            return STARVING;
        }
        return hearts < hungryBelowHearts ? HUNGRY : CONTENT;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
