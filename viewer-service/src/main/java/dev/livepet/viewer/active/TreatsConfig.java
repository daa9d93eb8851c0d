package dev.livepet.viewer.active;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Treats: every player's purse and how often it refills (docs/settings.md, "The world's rules"). */
@ConfigMapping(prefix = "livepet.viewer.treats")
public interface TreatsConfig {
    /** Treats in a full purse. */
    @WithDefault("5")
    int purse();

    /** Every purse is refilled to full at each multiple of this interval. */
    @WithDefault("30m")
    Duration refillEvery();
}
