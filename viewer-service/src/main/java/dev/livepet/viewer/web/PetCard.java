package dev.livepet.viewer.web;

import dev.livepet.contract.PetState;
import dev.livepet.viewer.config.WorldConfig;
import dev.livepet.viewer.domain.MealRule;
import dev.livepet.viewer.player.Player;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** A pet's card as one player sees it: only the owner of a living pet gets the feed button. */
@ApplicationScoped
public class PetCard {
    private final WorldConfig world;

    public PetCard(WorldConfig world) {
        this.world = world;
    }

    public PetView view(PetState pet) {
        return PetView.of(pet, world.hearts());
    }

    public boolean canFeed(PetState pet, Optional<Player> player) {
        return player.isPresent() && MealRule.refusal(pet, player.get().id()).isEmpty();
    }

    /** The HTML fragment the live stream pushes to this player's browser. */
    public String render(PetState pet, Optional<Player> player) {
        return Pages.pet$card(view(pet), canFeed(pet, player)).render().strip();
    }
}
