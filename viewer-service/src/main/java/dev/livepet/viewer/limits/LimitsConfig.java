package dev.livepet.viewer.limits;

import dev.livepet.viewer.limits.rules.RateWindow;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Limits per player, counted in PostgreSQL so that they hold across viewer instances. */
@ConfigMapping(prefix = "livepet.viewer.limits")
public interface LimitsConfig {
    /** Meals a player may give in one window. */
    @WithDefault("10")
    int feeds();

    /** Treats a player may try to give in one window. */
    @WithDefault("10")
    int treats();

    @WithDefault("10s")
    Duration window();

    /** Pets a player may adopt in one adoption window. */
    @WithDefault("20")
    int adoptions();

    @WithDefault("1h")
    Duration adoptionWindow();

    /** Living pets a player may have at once; adopting one more is refused until one dies. */
    @WithDefault("50")
    int alivePets();

    default RateWindow feedWindow() {
        return new RateWindow(feeds(), window());
    }

    default RateWindow treatWindow() {
        return new RateWindow(treats(), window());
    }

    default RateWindow adoptWindow() {
        return new RateWindow(adoptions(), adoptionWindow());
    }
}
