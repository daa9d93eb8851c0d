package dev.livepet.viewer.pets.rules;

/**
 * How full a pet looks: {@code ceil((maxHunger - hunger) / hungerPerHeart)} hearts out of
 * {@code ceil(maxHunger / hungerPerHeart)} (five with the original's numbers).
 */
public record Hearts(int maxHunger, int hungerPerHeart) {
    public Hearts {
        if (maxHunger <= 0 || hungerPerHeart <= 0) {
            throw new IllegalArgumentException("max hunger and hunger per heart must be positive");
        }
    }

    /** The hearts a pet with this hunger shows; hunger outside 0..maxHunger counts as its nearest bound. */
    public int of(int hunger) {
        int fullness = Math.max(0, Math.min(maxHunger, maxHunger - hunger));
        return ceilDiv(fullness, hungerPerHeart);
    }

    /** The hearts of a pet that is not hungry at all. */
    public int max() {
        return ceilDiv(maxHunger, hungerPerHeart);
    }

    // Math.ceilDiv needs Java 18; we compile for 17
    private static int ceilDiv(int dividend, int divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
