package dev.livepet.simulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How this simulator instance runs ({@code livepet.simulator.*}). */
@ConfigMapping(prefix = "livepet.simulator")
public interface SimulatorConfig {
    /**
     * Names this instance's transactional producer ({@code livepet-simulator-<id>}); a restarted instance with the
     * same id aborts its predecessor's open transaction at once. Defaults to the host name.
     */
    Optional<String> instanceId();

    /** Ownerless pets with ids 1..n created in the partitions of a new world (whose clocks never ticked); 0 seeds none. */
    @WithDefault("0")
    int seedPets();

    /**
     * The most seeded pets, or deaths of one tick, published in one transaction, so that a transaction stays well
     * within the transaction timeout and commands wait at most that long behind it (under a second); larger
     * transactions seed faster (fewer commits to wait for). Only a world that dies of old age all at once (a seeded
     * one) has more deaths at a tick; they then go out in several transactions before the tick records.
     */
    @WithDefault("250000")
    int eventsPerTransaction();

    /**
     * The partitions tick in turns, one turn every this long: the tick interval holds interval / step turns (at most
     * one per partition) and partition p ticks in turn {@code p % turns}, once per interval. All partitions ticking at
     * once would send every reader, and every watcher, a burst per interval; in turns they come as a steady trickle.
     * Each turn is a Kafka transaction: shorter steps spend the broker on commits. A step as long as the interval
     * ticks every partition together.
     */
    @WithDefault("100ms")
    Duration tickStep();

    /** How many applied command ids each partition remembers to apply a retried command once. */
    @WithDefault("10000")
    int recentCommandIds();

    /** Slots a partition starts with before doubling. */
    @WithDefault("1024")
    int partitionCapacity();

    /** An open transaction of a dead instance blocks read_committed readers at most this long. */
    @WithDefault("10s")
    Duration transactionTimeout();

    /** Reading a partition's pets back from the state topic longer than this fails the restore (and retries). */
    @WithDefault("5m")
    Duration restoreTimeout();

    /**
     * Each owned partition's pets and clock are written to the snapshot topic once every this many ticks, so that a
     * restore reads the newest snapshot and only the events and ticks after it; 0 writes none and restores replay the
     * whole state topic.
     */
    @WithDefault("4")
    int snapshotEveryTicks();

    /** Payload bytes per snapshot record; at most 900 KiB, within Kafka's default message size of 1 MB. */
    @WithDefault("524288")
    int snapshotChunkBytes();

    /** Wait after a failed Kafka session before joining again. */
    @WithDefault("2s")
    Duration retryBackoff();

    /** How long shutdown waits for the loop to finish its transaction and leave the group. */
    @WithDefault("15s")
    Duration shutdownTimeout();
}
