package dev.livepet.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The tick rule, the only home of it: every tick a living pet ages by {@code agePerTick} and gets hungrier by
 * {@code hungerPerTick}, up to {@code maxHunger}. Since a tick depends on nothing but the pet's last state, its state
 * after n ticks is a closed form, and nobody needs to publish or read a record per pet per tick.
 * Deaths are not derived: the simulator publishes each as an event at the tick it happens.
 */
public record TickRule(@JsonProperty(required = true) int agePerTick, @JsonProperty(required = true) int hungerPerTick,
                       @JsonProperty(required = true) int maxHunger) {
    public TickRule {
        PetCommand.require(agePerTick > 0, "agePerTick must be positive");
        PetCommand.require(hungerPerTick >= 0, "hungerPerTick must not be negative");
        PetCommand.require(maxHunger >= 0, "maxHunger must not be negative");
    }

    /** A living pet's age after {@code ticks} more ticks. */
    public int ageAfter(int age, long ticks) {
        return (int) Math.min(Integer.MAX_VALUE, age + Math.max(0, ticks) * (long) agePerTick);
    }

    /** A living pet's hunger after {@code ticks} more ticks: never above {@code maxHunger}, never lowered by a tick. */
    public int hungerAfter(int hunger, long ticks) {
        if (hunger >= maxHunger) {
            return hunger;
        }
        return (int) Math.min(maxHunger, hunger + Math.max(0, ticks) * (long) hungerPerTick);
    }

    /**
     * The state at partition tick {@code tick} (happening at {@code at}) of a pet whose last event is {@code last}:
     * {@code last} itself when the pet is dead or the tick is not after the event, else a state with cause
     * {@link Cause#TICK}, the event's version and command-less.
     */
    public PetState stateAt(PetState last, long tick, long at) {
        if (!last.alive() || tick <= last.tick()) {
            return last;
        }
        long ticks = tick - last.tick();
        return new PetState(last.id(), last.owner(), last.name(), last.species(), ageAfter(last.age(), ticks),
                hungerAfter(last.hunger(), ticks), true, last.version(), Cause.TICK, tick, at, null);
    }

    /** The state a partition's tick record gives a pet whose last event is {@code last}. */
    public static PetState stateAt(PetState last, PartitionTick clock) {
        return clock.rule().stateAt(last, clock.tick(), clock.at());
    }
}
