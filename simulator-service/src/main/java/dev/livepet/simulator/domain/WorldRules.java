package dev.livepet.simulator.domain;

import dev.livepet.contract.Cause;
import dev.livepet.contract.Food;
import dev.livepet.contract.TickRule;

import java.time.Duration;

/**
 * The numbers of the world. How a pet ages and gets hungry from tick to tick is the contract's {@link TickRule}, which
 * every service derives with; what only the simulator decides stays here: when a pet dies, what food does, how a pet
 * starts, which names it may have.
 *
 * @param tickInterval  how often every partition's clock ticks
 * @param tickRule      age and hunger added by one tick, and the hunger cap
 * @param maxAge        a pet dies on the tick that takes its age above this
 * @param meal          hunger taken away by the owner's meal
 * @param treat         hunger taken away by another player's treat
 * @param initialHunger hunger of a newly adopted pet
 * @param minNameLength shortest name a pet may have
 * @param maxNameLength longest name a pet may have
 */
public record WorldRules(Duration tickInterval, TickRule tickRule, int maxAge, int meal, int treat, int initialHunger,
                         int minNameLength, int maxNameLength) {
    /** The oldest age a pet can be stored with (a char): about 3.8 days at the original's 5 s tick. */
    public static final int MAX_STORED_AGE = Character.MAX_VALUE;

    public WorldRules {
        require(tickInterval != null && !tickInterval.isNegative() && !tickInterval.isZero(), "tick-interval must be positive");
        require(tickRule != null, "the tick rule is required");
        // hunger is kept in a short per pet
        require(tickRule.maxHunger() <= Short.MAX_VALUE, "max-hunger must be within 0.." + Short.MAX_VALUE);
        // age is kept in a char per pet, and the tick that kills a pet must still fit
        require(maxAge >= 0 && (long) maxAge + tickRule.agePerTick() <= MAX_STORED_AGE,
                "max-age + age-per-tick must be within 0.." + MAX_STORED_AGE);
        require(meal >= 0 && treat >= 0, "meal and treat must not be negative");
        require(initialHunger >= 0 && initialHunger <= tickRule.maxHunger(), "initial-hunger must be within 0..max-hunger");
        require(minNameLength >= 1 && maxNameLength >= minNameLength, "name lengths must satisfy 1 <= min <= max");
    }

    /** The original's world: tick 5 s, age +1, hunger +5 up to 500, death above age 10000, meal 100, treat 20. */
    public static WorldRules original() {
        return new WorldRules(Duration.ofSeconds(5), new TickRule(1, 5, 500), 10_000, 100, 20, 250, 3, 100);
    }

    /**
     * How many ticks after an event at age {@code age} a living pet dies: the first tick that takes its age above
     * {@link #maxAge}, and the next one for a pet already above it (the rules were changed under it).
     */
    public int ticksToLive(int age) {
        return Math.max(1, Math.floorDiv(maxAge - age, tickRule.agePerTick()) + 1);
    }

    /** What giving {@code food} does to a pet: a dead pet is not fed. */
    public Feeding feed(boolean alive, int hunger, Food food) {
        if (!alive) {
            return Feeding.IGNORED;
        }
        return food == Food.MEAL
                ? new Feeding(false, Math.max(0, hunger - meal), Cause.FED)
                : new Feeding(false, Math.max(0, hunger - treat), Cause.TREAT);
    }

    /** Why a name cannot be a pet's name, or null when it can. */
    public String nameProblem(String name) {
        int length = name == null ? 0 : name.strip().length();
        if (length < minNameLength || length > maxNameLength) {
            return "a name has " + minNameLength + " to " + maxNameLength + " characters, not " + length;
        }
        return null;
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new IllegalArgumentException(reason);
        }
    }

    /**
     * The result of a feed.
     *
     * @param ignored true when nothing happened (the pet is dead)
     * @param hunger  the pet's hunger afterwards
     * @param cause   {@link Cause#FED} for a meal, {@link Cause#TREAT} for a treat
     */
    public record Feeding(boolean ignored, int hunger, Cause cause) {
        public static final Feeding IGNORED = new Feeding(true, -1, null);
    }
}
