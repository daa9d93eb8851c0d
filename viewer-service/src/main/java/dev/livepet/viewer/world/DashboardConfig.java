package dev.livepet.viewer.world;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The world dashboard: how often this instance samples the world, and where it looks. */
@ConfigMapping(prefix = "livepet.viewer.dashboard")
public interface DashboardConfig {
    /** One sample per viewer instance this often, whatever the number of browsers. */
    @WithDefault("5s")
    Duration sampleInterval();

    /** Alive and dead totals come from counting PostgreSQL rows, so not more often than this. */
    @WithDefault("15s")
    Duration totalsInterval();

    /** Samples a browser gets at once when it opens the page. */
    @WithDefault("120")
    int history();

    /** The world's tick interval: a partition is due to tick this long after its previous tick. */
    @WithDefault("5s")
    Duration tickInterval();

    /** A gap between two ticks of a partition longer than this is a stopped world, not a late tick. */
    @WithDefault("1m")
    Duration stoppedAfter();

    /** The consumer group whose assignment of pet-commands says which simulator instance owns which partition. */
    @WithDefault("livepet-simulator")
    String simulatorGroup();

    /** The persistence service's consumer group on pet-state. */
    @WithDefault("livepet-persistence")
    String persistenceGroup();
}
