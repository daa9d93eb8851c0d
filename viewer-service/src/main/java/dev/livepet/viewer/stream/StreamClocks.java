package dev.livepet.viewer.stream;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.TickRule;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest tick record the stream read of each partition, and the partition count it reads: with them any state
 * of a pet is brought to its partition's tick, whichever way it came (PostgreSQL, a remembered event).
 */
@ApplicationScoped
public class StreamClocks {
    private final ConcurrentHashMap<Integer, PartitionTick> newest = new ConcurrentHashMap<>();
    private volatile int partitions;

    /** The stream found pet-state with this many partitions. */
    void assigned(int partitions) {
        this.partitions = partitions;
    }

    /** pet-state's partition count, 0 until the stream found the topic. */
    public int partitions() {
        return partitions;
    }

    /** The pet's partition, or -1 while the partition count is not known. */
    public int partitionOf(long petId) {
        int count = partitions;
        return count == 0 ? -1 : PetPartitioner.partitionOf(petId, count);
    }

    /** On the stream's thread, before the partition's pets are advanced with it. */
    void ticked(PartitionTick tick) {
        newest.merge(tick.partition(), tick, (old, next) -> next.tick() > old.tick() ? next : old);
    }

    /** The newest tick read of the partition, or null before its first. */
    public PartitionTick newest(int partition) {
        return newest.get(partition);
    }

    /** The state at its partition's newest tick read (the state itself if it is dead or that tick is not later). */
    public PetState bringUp(PetState state) {
        int partition = partitionOf(state.id());
        PartitionTick tick = partition < 0 ? null : newest.get(partition);
        return tick == null ? state : TickRule.stateAt(state, tick);
    }
}
