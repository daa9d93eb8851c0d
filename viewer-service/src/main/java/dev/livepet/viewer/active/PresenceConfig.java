package dev.livepet.viewer.active;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Presence of owners on their pets' pages, shared by every viewer instance through PostgreSQL. */
@ConfigMapping(prefix = "livepet.viewer.presence")
public interface PresenceConfig {
    /** How often an instance renews its lease and clears the presence of instances whose lease ended. */
    @WithDefault("5s")
    Duration heartbeat();

    /** How long an instance's presence outlives its last heartbeat (a crashed instance's owners leave then). */
    @WithDefault("20s")
    Duration lease();

    /** The most pets Active Pets shows: those whose owners came to their pages most recently. */
    @WithDefault("50")
    int shown();
}
