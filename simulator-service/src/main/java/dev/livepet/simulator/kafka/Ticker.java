package dev.livepet.simulator.kafka;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.TickRule;
import dev.livepet.simulator.domain.PetChangeSink;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.TickSchedule;

import java.time.Duration;

/**
 * Ticks the owned partitions' clocks, all on one schedule: every tick interval each partition (but those still being
 * seeded) advances by one tick, publishes the deaths at that tick and then its tick record, all of them into one
 * transaction. A stall longer than an interval is not made up for.
 */
final class Ticker {
    private final TickRule rule;
    private final int partitionCount;
    private final TransactionDriver transactions;
    private final SimulatorMetrics metrics;
    private final PetChangeSink publish;
    private final TickSchedule schedule;

    Ticker(Duration interval, TickRule rule, int partitionCount, TransactionDriver transactions, SimulatorMetrics metrics) {
        this.rule = rule;
        this.partitionCount = partitionCount;
        this.transactions = transactions;
        this.metrics = metrics;
        this.publish = transactions::publish;
        this.schedule = new TickSchedule(interval, System.nanoTime());
    }

    boolean isDue(long nowNanos) {
        return schedule.isDue(nowNanos);
    }

    long nanosUntilDue(long nowNanos) {
        return schedule.nanosUntilDue(nowNanos);
    }

    /** How many ticks the schedule has given. */
    long ticks() {
        return schedule.ticks();
    }

    /**
     * The tick that is due, into the open transaction: deaths then the tick record of every owned partition.
     *
     * @return how many pets died
     */
    int tick(OwnedPartitions owned, Hatchery hatchery, long nowNanos) {
        metrics.tickLateness(schedule.lateness(nowNanos));
        long at = System.currentTimeMillis();
        int died = 0;
        for (PetPartition partition : owned.all()) {
            if (hatchery.seeding(partition.partition())) {
                continue;
            }
            died += partition.tick(at, publish);
            transactions.publish(new PartitionTick(partition.partition(), partitionCount, partition.clock().tick(), at, rule));
        }
        metrics.tickDuration(System.nanoTime() - nowNanos);
        metrics.died(died);
        long skips = schedule.skips();
        schedule.advance(System.nanoTime());
        if (schedule.skips() > skips) {
            metrics.tickSkipped();
        }
        return died;
    }
}
