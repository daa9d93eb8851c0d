package dev.livepet.viewer.pets.rules;

/**
 * Where a living pet's looks change with its hunger. With the original's numbers (hunger 0..500, a heart per 100)
 * the defaults 300 and 400 make a pet of three hearts or more content, of two hungry, of one or none starving.
 */
public record ConditionRule(int hungryFrom, int starvingFrom) {
    public ConditionRule {
        if (hungryFrom < 0 || starvingFrom < hungryFrom) {
            throw new IllegalArgumentException("need 0 <= hungry-from <= starving-from, got " + hungryFrom + " and "
                    + starvingFrom);
        }
    }

    public PetCondition of(int hunger, boolean alive) {
        return PetCondition.of(hunger, alive, hungryFrom, starvingFrom);
    }
}
