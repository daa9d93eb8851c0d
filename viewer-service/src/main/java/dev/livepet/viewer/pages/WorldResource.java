package dev.livepet.viewer.pages;

import dev.livepet.viewer.player.PlayerCookie;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;

/** The front door: a player goes to My Pets, a visitor who is not logged in to the login page. */
@Path("/")
public class WorldResource {
    private final PlayerCookie players;

    public WorldResource(PlayerCookie players) {
        this.players = players;
    }

    @GET
    public RestResponse<Void> frontDoor() {
        return RestResponse.seeOther(URI.create(players.loggedIn() ? "/pets" : "/login"));
    }
}
