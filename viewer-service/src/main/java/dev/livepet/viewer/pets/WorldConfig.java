package dev.livepet.viewer.pets;

import dev.livepet.viewer.pets.rules.Hearts;
import dev.livepet.viewer.pets.rules.NameRule;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The numbers of the world's rules that the viewer shows or checks. */
@ConfigMapping(prefix = "livepet.world")
public interface WorldConfig {
    @WithDefault("500")
    int maxHunger();

    @WithDefault("100")
    int hungerPerHeart();

    @WithDefault("3")
    int nameMinLength();

    @WithDefault("100")
    int nameMaxLength();

    default Hearts hearts() {
        return new Hearts(maxHunger(), hungerPerHeart());
    }

    default NameRule nameRule() {
        return new NameRule(nameMinLength(), nameMaxLength());
    }
}
