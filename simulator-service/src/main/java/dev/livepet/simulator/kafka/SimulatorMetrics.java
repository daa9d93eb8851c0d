package dev.livepet.simulator.kafka;

import dev.livepet.contract.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the simulator loop counts; the gauges of owned pets are registered by whoever owns the loop. */
public final class SimulatorMetrics {
    private static final Duration[] LATENESS_BUCKETS = Stream.of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final Timer tickLateness;
    private final Counter tickSkips;
    private final Counter petsSeeded;
    private final Timer seedTime;
    private final Counter statesPublished;
    private final Counter deadLettersPublished;
    private final Timer restoreTime;
    private final Counter petsRestored;
    private final Counter transactionsFailed;

    public SimulatorMetrics(MeterRegistry registry) {
        // buckets, so that a benchmark reads the share of slices on time and percentiles over exactly its own run
        tickLateness = Timer.builder("livepet.simulator.tick.lateness")
                .description("How late a tick slice started after it was due")
                .serviceLevelObjectives(LATENESS_BUCKETS)
                .publishPercentiles(0.5, 0.99).register(registry);
        tickSkips = Counter.builder("livepet.simulator.tick.skips")
                .description("Times the simulator fell more than a tick interval behind and skipped ahead").register(registry);
        petsSeeded = Counter.builder("livepet.simulator.seed.pets")
                .description("Ownerless pets seeded into empty partitions").register(registry);
        seedTime = Timer.builder("livepet.simulator.seed.time")
                .description("Time from the first seeded pet created to the last one committed").register(registry);
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

    void tickSkipped() {
        tickSkips.increment();
    }

    void seeded(int pets) {
        petsSeeded.increment(pets);
    }

    void seedingDone(long nanos) {
        seedTime.record(nanos, TimeUnit.NANOSECONDS);
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
