package dev.livepet.persistence.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link PendingTicks} per {@code pet-state} partition, so that the tick lane can be flushed a partition at a
 * time: a 1,000,000-pet world's minute of ticks written as one burst of a million rows starves the consumer (and
 * with it the lifecycle lane) for the burst's 20-30 s; the same rows spread over the minute a partition at a time
 * never do. A partition's acknowledgements are its own, so each commits as soon as its own ticks are written.
 * Thread-safe.
 *
 * @param <A> how a partition's batch is acknowledged (a Kafka record in the service, anything in a test)
 */
public final class TickLanes<A> {
    private final Map<Integer, PendingTicks<A>> byPartition = new ConcurrentHashMap<>();

    /** The lane of one partition, created on its first use. */
    public PendingTicks<A> lane(int partition) {
        return byPartition.computeIfAbsent(partition, PendingTicks::new);
    }

    /** The partition whose oldest waiting batch has waited longest (the next to flush), -1 if nothing waits. */
    public int longestWaiting() {
        int partition = -1;
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<Integer, PendingTicks<A>> lane : byPartition.entrySet()) {
            long since = lane.getValue().oldestSince();
            if (since >= 0 && (partition < 0 || since - oldest < 0)) {
                partition = lane.getKey();
                oldest = since;
            }
        }
        return partition;
    }

    /** Takes everything one partition's lane holds (see {@link PendingTicks#drain()}), nothing if none waits. */
    public PendingTicks.Flush<A> drain(int partition) {
        return partition < 0 ? PendingTicks.Flush.empty() : lane(partition).drain();
    }

    /** Takes everything every lane holds, as one flush in pet id order. */
    public PendingTicks.Flush<A> drainAll() {
        List<LatestState> states = new ArrayList<>();
        List<DeadLetter> poison = new ArrayList<>();
        List<A> acknowledgements = new ArrayList<>();
        for (PendingTicks<A> lane : byPartition.values()) {
            PendingTicks.Flush<A> flush = lane.drain();
            states.addAll(flush.states());
            poison.addAll(flush.poison());
            acknowledgements.addAll(flush.acknowledgements());
        }
        states.sort(PendingTicks.BY_ID);
        return new PendingTicks.Flush<>(List.copyOf(states), List.copyOf(poison), List.copyOf(acknowledgements));
    }

    /**
     * Drops the lanes of partitions that went to another instance: their ticks are not committed, so the new owner
     * reads and writes them; written here too they would only cost PostgreSQL a second write.
     */
    public void forget(Collection<Integer> partitions) {
        partitions.forEach(byPartition::remove);
    }

    /** How many lanes there are: one per partition this instance has consumed. */
    public int lanes() {
        return byPartition.size();
    }

    /** How many pets wait, in all partitions. */
    public int pets() {
        int pets = 0;
        for (PendingTicks<A> lane : byPartition.values()) {
            pets += lane.pets();
        }
        return pets;
    }

    /** When the oldest batch still waiting in any partition arrived, -1 if none waits. */
    public long oldestSince() {
        int partition = longestWaiting();
        return partition < 0 ? -1 : lane(partition).oldestSince();
    }

}
