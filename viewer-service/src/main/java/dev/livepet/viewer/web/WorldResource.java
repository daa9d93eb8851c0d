package dev.livepet.viewer.web;

import dev.livepet.viewer.player.Player;
import dev.livepet.viewer.player.PlayerCookie;
import dev.livepet.viewer.service.PetService;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The home page: the player's pets and the world's newest. */
@Path("/")
public class WorldResource {
    private final PetService pets;
    private final PlayerCookie players;
    private final PetCard cards;

    public WorldResource(PetService pets, PlayerCookie players, PetCard cards) {
        this.pets = pets;
        this.players = players;
        this.cards = cards;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> world() {
        Player player = players.current();
        // one after the other: a reactive session runs one query at a time
        return pets.ownedBy(player).flatMap(own -> pets.newest().map(newest -> Pages.world(
                own.stream().map(cards::view).toList(),
                newest.stream().map(cards::view).toList())));
    }
}
