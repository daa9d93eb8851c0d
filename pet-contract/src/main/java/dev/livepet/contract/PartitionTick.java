package dev.livepet.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One tick of a partition's clock, on {@link Topics#PET_STATE} in that partition under the key
 * {@link PetStateCodec#tickKey(int)}: every living pet of the partition has aged through this tick. It carries the
 * rule numbers in force, so every reader derives with the simulator's numbers, and the world's partition count, so a
 * service that finds the topics with another count can refuse to start.
 *
 * @param partition  the partition whose clock ticked
 * @param partitions the world's partition count when it ticked
 * @param tick       the tick number, counting from 1 for the partition's first tick
 * @param at         when it ticked, epoch milliseconds
 */
public record PartitionTick(@JsonProperty(required = true) int partition, @JsonProperty(required = true) int partitions,
                            @JsonProperty(required = true) long tick, @JsonProperty(required = true) long at,
                            @JsonProperty(required = true) int agePerTick, @JsonProperty(required = true) int hungerPerTick,
                            @JsonProperty(required = true) int maxHunger) implements PetStateRecord {
    public PartitionTick {
        PetCommand.require(partition >= 0, "a tick needs a partition of at least 0");
        PetCommand.require(partitions > partition, "a tick needs a partition count above its partition");
        PetCommand.require(tick > 0, "a tick needs a positive tick number");
        new TickRule(agePerTick, hungerPerTick, maxHunger);
    }

    public PartitionTick(int partition, int partitions, long tick, long at, TickRule rule) {
        this(partition, partitions, tick, at, rule.agePerTick(), rule.hungerPerTick(), rule.maxHunger());
    }

    @JsonIgnore
    public TickRule rule() {
        return new TickRule(agePerTick, hungerPerTick, maxHunger);
    }
}
