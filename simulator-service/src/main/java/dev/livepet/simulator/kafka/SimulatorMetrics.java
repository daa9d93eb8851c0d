package dev.livepet.simulator.kafka;

import dev.livepet.contract.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/** What the simulator loop counts; the gauges of owned pets are registered by whoever owns the loop. */
public final class SimulatorMetrics {
    private static final Duration[] LATENESS_BUCKETS = Stream.of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final Timer tickLateness;
    private final Counter tickSkips;
    private final Counter petsSeeded;
    private final Counter petsDied;
    private final Timer seedTime;
    private final Counter statesPublished;
    private final Counter deadLettersPublished;
    private final Timer restoreTime;
    private final Counter petsRestored;
    private final Counter transactionsFailed;
    private final Timer tickDuration;
    private final Timer commitDuration;
    private final Counter snapshotsWritten;
    private final Counter snapshotBytes;
    private final Counter restoredFromSnapshots;
    private final Counter stateRecordsRestored;
    private final MultiGauge alivePerPartition;
    private Set<Integer> partitionsShown = Set.of();
    private AtomicLongArray aliveShown;

    public SimulatorMetrics(MeterRegistry registry) {
        // buckets, so that a benchmark reads the share of ticks on time and percentiles over exactly its own run
        tickLateness = Timer.builder("livepet.simulator.tick.lateness")
                .description("How late a tick of the owned partitions started after it was due")
                .serviceLevelObjectives(LATENESS_BUCKETS)
                .publishPercentiles(0.5, 0.99).register(registry);
        tickSkips = Counter.builder("livepet.simulator.tick.skips")
                .description("Times the simulator fell more than a tick interval behind and skipped ahead").register(registry);
        petsSeeded = Counter.builder("livepet.simulator.seed.pets")
                .description("Ownerless pets seeded into empty partitions").register(registry);
        petsDied = Counter.builder("livepet.simulator.pets.died")
                .description("Pets that died of old age, each published as a died event").register(registry);
        seedTime = Timer.builder("livepet.simulator.seed.time")
                .description("Time from the first seeded pet created to the last one committed").register(registry);
        statesPublished = Counter.builder("livepet.simulator.records.published").tag("topic", Topics.PET_STATE)
                .description("Records committed by the simulator's transactions (events and ticks on " + Topics.PET_STATE + ")")
                .register(registry);
        deadLettersPublished = Counter.builder("livepet.simulator.dead.letters")
                .tag("topic", Topics.deadLetters(Topics.PET_COMMANDS))
                .description("Commands that can never be applied, committed to their dead-letter topic").register(registry);
        restoreTime = Timer.builder("livepet.simulator.restore.time")
                .description("Time to restore newly owned partitions from their snapshots and the state topic").register(registry);
        petsRestored = Counter.builder("livepet.simulator.restore.pets")
                .description("Pets restored (from snapshots and the state topic)").register(registry);
        tickDuration = Timer.builder("livepet.simulator.tick.duration")
                .description("Time to tick a turn of the owned partitions: their deaths and tick records handed to the producer")
                .publishPercentiles(0.5, 0.99).register(registry);
        commitDuration = Timer.builder("livepet.simulator.commit.duration")
                .description("Time to commit a transaction (its command offsets and the commit itself): the loop waits for it")
                .publishPercentiles(0.5, 0.99).register(registry);
        snapshotsWritten = Counter.builder("livepet.simulator.snapshots.written")
                .description("Partition snapshots committed to " + Topics.PET_SNAPSHOTS).register(registry);
        snapshotBytes = Counter.builder("livepet.simulator.snapshots.bytes")
                .description("Bytes of partition snapshots committed (before compression)").register(registry);
        restoredFromSnapshots = Counter.builder("livepet.simulator.restore.snapshot.pets")
                .description("Pets loaded from partition snapshots when restoring").register(registry);
        stateRecordsRestored = Counter.builder("livepet.simulator.restore.state.records")
                .description("Records of " + Topics.PET_STATE + " (events and ticks) read when restoring (after a snapshot, or all)")
                .register(registry);
        alivePerPartition = MultiGauge.builder("livepet.simulator.partition.pets.alive")
                .description("Living pets in each partition this instance owns").register(registry);
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

    void died(int pets) {
        petsDied.increment(pets);
    }

    void seedingDone(long nanos) {
        seedTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    void committed(int states, int deadLetters) {
        statesPublished.increment(states);
        deadLettersPublished.increment(deadLetters);
    }

    void restored(long nanos, long pets, long fromSnapshots, long stateRecords) {
        restoreTime.record(nanos, TimeUnit.NANOSECONDS);
        petsRestored.increment(pets);
        restoredFromSnapshots.increment(fromSnapshots);
        stateRecordsRestored.increment(stateRecords);
    }

    void commitDuration(long nanos) {
        commitDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void tickDuration(long nanos) {
        tickDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void snapshotsCommitted(int snapshots, long bytes) {
        snapshotsWritten.increment(snapshots);
        snapshotBytes.increment(bytes);
    }

    /** Shows one row per owned partition, reading the living pets from {@code alive}; rows change only with ownership. */
    void ownedPartitions(Set<Integer> partitions, AtomicLongArray alive) {
        if (partitions.equals(partitionsShown) && alive == aliveShown) {
            return;
        }
        partitionsShown = Set.copyOf(partitions);
        aliveShown = alive;
        alivePerPartition.register(partitionsShown.stream()
                .map(p -> MultiGauge.Row.of(Tags.of("partition", String.valueOf(p)), alive, a -> p < a.length() ? a.get(p) : 0))
                .toList(), true);
    }

    void transactionFailed() {
        transactionsFailed.increment();
    }
}
