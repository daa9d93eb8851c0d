package dev.livepet.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The persistence service's own settings ({@code livepet.persistence.*}). */
@ConfigMapping(prefix = "livepet.persistence")
public interface PersistenceSettings {

    /**
     * Polled batches whose write may be under way at once (each holds a connection of the pool): with more than one,
     * the next poll is read while PostgreSQL writes the previous one.
     */
    @WithDefault("2")
    int batchesInFlight();

    /** How long a graceful shutdown waits for the writes under way; what it misses is replayed from Kafka. */
    @WithDefault("30s")
    Duration shutdownTimeout();

    /** How {@code pet-state} is read. */
    Consumption consumption();

    interface Consumption {
        /** The consumer group of every persistence instance: the partitions are shared among them. */
        @WithDefault("livepet-persistence")
        String groupId();

        /** Records one poll may return: a backlog (after a restart or an outage) goes in fewer, larger statements. */
        @WithDefault("10000")
        int maxPollRecords();

        /** How long a poll waits for records when there are none. */
        @WithDefault("100ms")
        Duration pollTimeout();

        /** How often the offsets below which everything is written are committed. */
        @WithDefault("1s")
        Duration commitInterval();

        /**
         * How long a start waits for {@code pet-state} to exist (a deployment may make the topics while the services
         * start); without it the service cannot know the partition count and does not start.
         */
        @WithDefault("60s")
        Duration topicWait();
    }

    /** How a write that fails (PostgreSQL or Kafka away) is retried: forever, with a growing pause. */
    Retry retry();

    interface Retry {
        /** The first pause after a failed write. */
        @WithDefault("100ms")
        Duration initialBackoff();

        /** The longest pause between two attempts while PostgreSQL stays away. */
        @WithDefault("10s")
        Duration maxBackoff();
    }
}
