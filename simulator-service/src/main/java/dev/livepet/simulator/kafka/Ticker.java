package dev.livepet.simulator.kafka;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.TickRule;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.TickSchedule;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Ticks the owned partitions' clocks on one schedule cut into turns ({@link TickSchedule}): at each turn the owned
 * partitions of that turn (but those still being seeded) advance by one tick and publish the deaths at that tick, then
 * their tick records, all in one transaction; turns that fell due together go in that one transaction too. Only when more pets die at once than one transaction should
 * hold (a seeded world dies of old age all at the same tick) are the deaths spread over several, the last of which
 * holds the tick records; commands are applied between them. A stall longer than an interval is not made up for.
 */
final class Ticker {
    private final TickRule rule;
    private final int partitionCount;
    private final int eventsPerTransaction;
    private final TransactionDriver transactions;
    private final SimulatorMetrics metrics;
    private final TickSchedule schedule;
    // the tick under way: the deaths still to publish, then the tick records of the partitions that ticked
    private final ArrayDeque<Deaths> deaths = new ArrayDeque<>();
    private final List<PetPartition> ticked = new ArrayList<>();
    // the partitions whose tick records the last completed step published
    private final List<PetPartition> justTicked = new ArrayList<>();
    private long at;
    private long workNanos;
    private long completed;

    /** The deaths of one partition at the tick under way, and how many of them are published. */
    private static final class Deaths {
        final PetPartition partition;
        final int[] slots;
        int published;

        Deaths(PetPartition partition, int[] slots) {
            this.partition = partition;
            this.slots = slots;
        }
    }

    /** @param step how long each turn of partitions lasts (the interval holds at most one turn per partition) */
    Ticker(Duration interval, Duration step, TickRule rule, int partitionCount, int eventsPerTransaction,
           TransactionDriver transactions, SimulatorMetrics metrics) {
        this.rule = rule;
        this.partitionCount = partitionCount;
        this.eventsPerTransaction = eventsPerTransaction;
        this.transactions = transactions;
        this.metrics = metrics;
        long turns = Math.max(1, Math.min(partitionCount, interval.toNanos() / Math.max(1, step.toNanos())));
        this.schedule = new TickSchedule(interval, (int) turns, System.nanoTime());
    }

    /** Whether a tick is due or under way. */
    boolean hasWork(long nowNanos) {
        return underWay() || schedule.isDue(nowNanos);
    }

    /** Whether a tick's deaths or tick records are still to be published: no snapshot may be taken meanwhile. */
    boolean underWay() {
        return !ticked.isEmpty();
    }

    long nanosUntilDue(long nowNanos) {
        return underWay() ? 0 : schedule.nanosUntilDue(nowNanos);
    }

    /** How many steps have been published whole. */
    long completed() {
        return completed;
    }

    /** The partitions whose tick records the last completed step published. */
    List<PetPartition> justTicked() {
        return justTicked;
    }

    /**
     * Into the open transaction: starts the turns that are due (their partitions' clocks advance and their pets
     * that die are marked), or goes on with the one under way, publishing its next deaths and, after the last of
     * them, every partition's tick record.
     */
    void step(OwnedPartitions owned, Hatchery hatchery, long nowNanos) {
        long start = System.nanoTime();
        if (!underWay()) {
            begin(owned, hatchery, nowNanos);
        }
        publishDeaths(owned);
        if (deaths.isEmpty()) {
            justTicked.clear();
            for (PetPartition partition : ticked) {
                if (owned.get(partition.partition()) == partition) {
                    transactions.publish(new PartitionTick(partition.partition(), partitionCount,
                            partition.clock().tick(), at, rule));
                    justTicked.add(partition);
                }
            }
            ticked.clear();
            completed++;
        }
        workNanos += System.nanoTime() - start;
        if (!underWay()) {
            metrics.tickDuration(workNanos);
        }
    }

    /** Forgets the tick under way after a failed transaction: the partitions are restored from what was committed. */
    void clear() {
        deaths.clear();
        ticked.clear();
        justTicked.clear();
    }

    /**
     * Starts the turn that is due and every turn due with it: a loop slowed down (by a long commit or a busy machine)
     * ticks the turns it owes together, in one transaction, instead of owing more each time. At most one interval's
     * turns, so no partition ticks twice.
     */
    private void begin(OwnedPartitions owned, Hatchery hatchery, long nowNanos) {
        at = System.currentTimeMillis();
        workNanos = 0;
        int died = 0;
        long now = nowNanos;
        for (int turn = 0; turn < schedule.phases() && schedule.isDue(now); turn++) {
            metrics.tickLateness(schedule.lateness(now));
            for (PetPartition partition : owned.all()) {
                if (!schedule.ticksNext(partition.partition()) || hatchery.seeding(partition.partition())) {
                    continue;
                }
                int[] slots = partition.tick(at);
                ticked.add(partition);
                if (slots.length > 0) {
                    deaths.add(new Deaths(partition, slots));
                    died += slots.length;
                }
            }
            long skips = schedule.skips();
            now = System.nanoTime();
            schedule.advance(now);
            if (schedule.skips() > skips) {
                metrics.tickSkipped();
            }
        }
        metrics.died(died);
    }

    /** At most one transaction's share of the deaths under way; a partition no longer owned is passed over. */
    private void publishDeaths(OwnedPartitions owned) {
        int budget = eventsPerTransaction;
        while (budget > 0 && !deaths.isEmpty()) {
            Deaths next = deaths.peek();
            boolean stillOwned = owned.get(next.partition.partition()) == next.partition;
            int end = Math.min(next.slots.length, next.published + budget);
            for (int i = next.published; i < end && stillOwned; i++) {
                transactions.publish(next.partition.partition(), next.partition.event(next.slots[i], Cause.DIED, at, null));
            }
            budget -= end - next.published;
            next.published = end;
            if (end == next.slots.length) {
                deaths.poll();
            }
        }
    }
}
