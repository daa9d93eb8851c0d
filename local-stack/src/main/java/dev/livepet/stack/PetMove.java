package dev.livepet.stack;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.TickRule;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where and as what a pet lands when its world moves to {@code partitions} partitions. Every new partition's clock
 * starts at one common {@code tick}, so a pet's moved event holds the state it had at its old partition's last tick
 * (the contract's tick rule, nothing else, advances it there), re-based to hold at {@code tick}: no tick gained or lost.
 *
 * @param partitions the new partition count
 * @param tick       the tick every new partition's clock starts at
 * @param rule       the rule numbers the new tick records carry (those of the world's latest tick)
 * @param at         when the new tick records say they ticked
 */
record PetMove(int partitions, long tick, TickRule rule, long at) {
    // a world that never ticked has no rule on record: the services' defaults (docs/architecture.md, the tick rule)
    static final TickRule RULE_OF_A_NEW_WORLD = new TickRule(1, 5, 500);

    /** The move onto {@code partitions} of a world whose partitions' last ticks are {@code oldClocks} (null: none). */
    static PetMove onto(int partitions, PartitionTick[] oldClocks, long at) {
        PartitionTick latest = Arrays.stream(oldClocks).filter(Objects::nonNull)
                .max(Comparator.comparingLong(PartitionTick::tick)).orElse(null);
        // the highest old clock, so that no new clock runs behind a tick any pet has reached; a tick record needs ≥ 1,
        // and a clock past 0 also tells the simulator the world is seeded already
        long tick = latest == null ? 1 : latest.tick();
        return new PetMove(partitions, tick, latest == null ? RULE_OF_A_NEW_WORLD : latest.rule(), at);
    }

    /** The pet's new partition: murmur2 of its key modulo the new count, as every client places it. */
    int partitionOf(long petId) {
        return PetPartitioner.partitionOf(petId, partitions);
    }

    /**
     * The moved event of a pet whose last event is {@code last} and whose old partition's last tick is
     * {@code oldClock} (null when it never ticked): its state at that tick, holding at {@link #tick}, one version up
     * so that every reader that keeps the higher version takes it; cause, command and time stay the event's, a dead
     * pet stays dead.
     */
    PetState of(PetState last, PartitionTick oldClock) {
        PetState then = oldClock == null ? last : TickRule.stateAt(last, oldClock);
        return new PetState(last.id(), last.owner(), last.name(), last.species(), then.age(), then.hunger(),
                last.alive(), last.version() + 1, last.cause(), tick, last.at(), last.command());
    }

    /** The first tick record of new partition {@code partition}. */
    PartitionTick clockOf(int partition) {
        return new PartitionTick(partition, partitions, tick, at, rule);
    }
}
