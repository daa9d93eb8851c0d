package dev.livepet.simulator;

import dev.livepet.contract.TickRule;
import dev.livepet.simulator.domain.WorldRules;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The numbers of the world's rules ({@code livepet.world.*}); the defaults are the original's. */
@ConfigMapping(prefix = "livepet.world")
public interface WorldConfig {
    @WithDefault("5s")
    Duration tickInterval();

    @WithDefault("1")
    int agePerTick();

    @WithDefault("5")
    int hungerPerTick();

    @WithDefault("500")
    int maxHunger();

    @WithDefault("10000")
    int maxAge();

    @WithDefault("100")
    int meal();

    @WithDefault("20")
    int treat();

    @WithDefault("250")
    int initialHunger();

    @WithDefault("3")
    int nameMinLength();

    @WithDefault("100")
    int nameMaxLength();

    default WorldRules rules() {
        return new WorldRules(tickInterval(), new TickRule(agePerTick(), hungerPerTick(), maxHunger()), maxAge(), meal(),
                treat(), initialHunger(), nameMinLength(), nameMaxLength());
    }
}
