package dev.livepet.viewer.pets;

import dev.livepet.viewer.pets.rules.ConditionRule;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The hunger at which a living pet's picture turns hungry and starving. */
@ConfigMapping(prefix = "livepet.world.condition")
public interface ConditionConfig {
    @WithDefault("300")
    int hungryFrom();

    @WithDefault("400")
    int starvingFrom();

    default ConditionRule rule() {
        return new ConditionRule(hungryFrom(), starvingFrom());
    }
}
