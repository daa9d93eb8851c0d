package dev.livepet.viewer.active;

import dev.livepet.viewer.active.rules.TreatPurse;
import dev.livepet.viewer.pages.FormToken;
import dev.livepet.viewer.pets.ActivePanelOnPetPage;
import dev.livepet.viewer.player.Player;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.OptionalLong;

/** The Active Pets panel on a pet's page (who is around now and the player's treats), and a visitor's treats. */
@ApplicationScoped
public class PetPagePanel implements ActivePanelOnPetPage {
    private final TreatService treats;
    private final ActiveAudience audience;

    public PetPagePanel(TreatService treats, ActiveAudience audience) {
        this.treats = treats;
        this.audience = audience;
    }

    @Override
    public Uni<String> render(Player player, long petId, FormToken.Field token) {
        return treats.purse(player).map(purse -> audience.panel(player.id(), OptionalLong.of(petId), purse, token));
    }

    @Override
    public Uni<Integer> treatsLeft(Player player) {
        return treats.purse(player).map(TreatPurse::treats);
    }
}
