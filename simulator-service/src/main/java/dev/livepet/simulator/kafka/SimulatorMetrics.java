package dev.livepet.simulator.kafka;

import dev.livepet.contract.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/** What the simulator loop counts; the gauges of owned pets are registered by whoever owns the loop. */
public final class SimulatorMetrics {
    private final Timer tickLateness;
    private final Counter statesPublished;
    private final Counter deadLettersPublished;
    private final Timer restoreTime;
    private final Counter petsRestored;
    private final Counter transactionsFailed;

    public SimulatorMetrics(MeterRegistry registry) {
        tickLateness = Timer.builder("livepet.simulator.tick.lateness")
                .description("How late a tick slice started after it was due")
                .publishPercentiles(0.5, 0.99).register(registry);
        statesPublished = Counter.builder("livepet.simulator.records.published").tag("topic", Topics.PET_STATE)
                .description("Records committed by the simulator's transactions").register(registry);
        deadLettersPublished = Counter.builder("livepet.simulator.records.published")
                .tag("topic", Topics.deadLetters(Topics.PET_COMMANDS))
                .description("Records committed by the simulator's transactions").register(registry);
        restoreTime = Timer.builder("livepet.simulator.restore.time")
                .description("Time to restore newly owned partitions from the state topic").register(registry);
        petsRestored = Counter.builder("livepet.simulator.restore.pets")
                .description("Pets read back from the state topic").register(registry);
        transactionsFailed = Counter.builder("livepet.simulator.transactions.failed")
                .description("Transactions that failed; the simulator restored its partitions after each").register(registry);
    }

    void tickLateness(long nanos) {
        tickLateness.record(nanos, TimeUnit.NANOSECONDS);
    }

    void committed(int states, int deadLetters) {
        statesPublished.increment(states);
        deadLettersPublished.increment(deadLetters);
    }

    void restored(long nanos, long pets) {
        restoreTime.record(nanos, TimeUnit.NANOSECONDS);
        petsRestored.increment(pets);
    }

    void transactionFailed() {
        transactionsFailed.increment();
    }
}
