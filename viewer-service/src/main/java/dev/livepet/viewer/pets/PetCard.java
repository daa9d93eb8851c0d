package dev.livepet.viewer.pets;

import dev.livepet.contract.PetState;
import dev.livepet.viewer.pets.rules.ConditionRule;
import dev.livepet.viewer.pets.rules.MealRule;
import dev.livepet.viewer.pets.rules.PetAccess;
import dev.livepet.viewer.player.Player;
import dev.livepet.viewer.stream.PetRow;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** A pet as one player sees it: only the owner of a living pet sees it live and gets the feed button. */
@ApplicationScoped
public class PetCard {
    private static final DateTimeFormatter BIRTHDAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final WorldConfig world;
    private final ConditionRule conditions;

    public PetCard(WorldConfig world, ConditionConfig conditions) {
        this.world = world;
        this.conditions = conditions.rule();
    }

    public PetView view(PetState pet) {
        return PetView.of(pet, world.hearts(), conditions.of(pet.hunger(), pet.alive()));
    }

    public PetSummary summary(PetRow pet) {
        return new PetSummary(pet.id(), pet.name(), pet.species(), pet.toState().species().displayName(), pet.alive(),
                conditions.of(pet.hunger(), pet.alive()).id(), BIRTHDAY.format(pet.bornAt()));
    }

    public PetAccess access(PetState pet, Player player) {
        return PetAccess.of(pet.owner(), pet.alive(), player.id());
    }

    public boolean canFeed(PetState pet, Optional<Player> player) {
        return player.isPresent() && MealRule.refusal(pet, player.get().id()).isEmpty();
    }

    /** The HTML fragment the live stream pushes to this player's browser; someone else's living pet is not streamed. */
    public String render(PetState pet, Optional<Player> player) {
        if (player.isEmpty() || access(pet, player.get()) == PetAccess.VISITOR) {
            return PetPages.pet$refused().render().strip();
        }
        return PetPages.pet$card(view(pet), canFeed(pet, player), null).render().strip();
    }
}
