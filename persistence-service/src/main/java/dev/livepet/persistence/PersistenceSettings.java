package dev.livepet.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The persistence service's own settings ({@code livepet.persistence.*}). */
@ConfigMapping(prefix = "livepet.persistence")
public interface PersistenceSettings {

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
