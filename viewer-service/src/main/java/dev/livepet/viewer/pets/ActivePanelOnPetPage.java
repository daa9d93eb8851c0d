package dev.livepet.viewer.pets;

import dev.livepet.viewer.pages.FormToken;
import dev.livepet.viewer.player.Player;
import io.smallrye.mutiny.Uni;

/**
 * What a pet's page shows of the active feature: the Active Pets panel beside the owner's pet, and a visitor's treats.
 * The active feature draws it (it knows who is around and the player's purse) and pets only place it, so that pets
 * need not know active, which sends its treats through pets.
 */
public interface ActivePanelOnPetPage {
    /** The panel's content for {@code player} on pet {@code petId}'s page, as rendered now. */
    Uni<String> render(Player player, long petId, FormToken.Field token);

    /** How many treats {@code player} has left to give now. */
    Uni<Integer> treatsLeft(Player player);
}
