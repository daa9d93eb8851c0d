package dev.livepet.viewer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the viewer itself, not of the world. */
@ConfigMapping(prefix = "livepet.viewer")
public interface ViewerConfig {
    /** How many of the world's newest pets the home page lists. */
    @WithDefault("50")
    int newestPets();

    /** How many of a player's own pets the home page lists. */
    @WithDefault("100")
    int ownPets();

    /** How long a just-adopted pet stays watched without a browser, so its first state is not missed. */
    @WithDefault("1m")
    Duration adoptionWatch();

    PlayerCookieConfig playerCookie();

    interface PlayerCookieConfig {
        @WithDefault("livepet-player")
        String name();

        @WithDefault("400d")
        Duration maxAge();

        /** Only send the cookie over HTTPS; on where the viewer is served over HTTPS. */
        @WithDefault("false")
        boolean secure();
    }
}
