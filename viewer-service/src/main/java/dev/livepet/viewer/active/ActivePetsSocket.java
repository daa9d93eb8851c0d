package dev.livepet.viewer.active;

import dev.livepet.viewer.pets.PetService;
import dev.livepet.viewer.pets.rules.PetId;
import dev.livepet.viewer.player.Player;
import dev.livepet.viewer.player.PlayerCookie;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * An Active Pets panel's live part, on the page of pet {@code on} (or "all" on the Active Pets page). An owner
 * whose panel is on their own live pet's page is present: other players see that pet, on every instance.
 */
@WebSocket(path = "/active/live/{on}")
public class ActivePetsSocket {
    private static final Logger LOG = Logger.getLogger(ActivePetsSocket.class);
    // completes once this connection's presence is recorded (or was not to be): leaving waits for it
    private static final TypedKey<CompletableFuture<Boolean>> PRESENT = new TypedKey<>("livepet.present");
    private static final int NOT_A_PET = 1008;

    private final ActiveAudience audience;
    private final PresenceTable presence;
    private final PresenceLease lease;
    private final PetService pets;
    private final TreatService treats;
    private final PlayerCookie players;

    public ActivePetsSocket(ActiveAudience audience, PresenceTable presence, PresenceLease lease, PetService pets,
                            TreatService treats, PlayerCookie players) {
        this.audience = audience;
        this.presence = presence;
        this.lease = lease;
        this.pets = pets;
        this.treats = treats;
        this.players = players;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        String on = connection.pathParam("on");
        OptionalLong page = "all".equals(on) ? OptionalLong.empty() : PetId.parse(on);
        if (page.isEmpty() && !"all".equals(on)) {
            return connection.close(new CloseReason(NOT_A_PET, "not a pet id"));
        }
        // /active/* needs a login (application.properties), so a visitor never gets here; refused all the same
        Optional<Player> player = players.of(connection);
        if (player.isEmpty()) {
            return connection.close(new CloseReason(NOT_A_PET, "not logged in"));
        }
        CompletableFuture<Boolean> present = new CompletableFuture<>();
        connection.userData().put(PRESENT, present);
        return treats.purse(player.get())
                .invoke(p -> audience.join(new ActivePanel(connection.id(), player.get(), page, p, connection::sendText)))
                .chain(() -> page.isPresent()
                        ? enterIfOwner(connection, page.getAsLong(), player.get())
                        : Uni.createFrom().item(false))
                .onFailure().invoke(e -> LOG.warnf("an Active Pets panel could not open: %s", e.toString()))
                .onFailure().recoverWithItem(false)
                .invoke(present::complete)
                .replaceWithVoid();
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection connection) {
        audience.leave(connection.id());
        CompletableFuture<Boolean> present = connection.userData().get(PRESENT);
        if (present == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(present)
                .chain(entered -> Boolean.TRUE.equals(entered)
                        ? presence.leave(lease.instance(), connection.id())
                        : Uni.createFrom().voidItem())
                .onFailure().invoke(e -> LOG.warnf("could not record that an owner left: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** True when the player is the owner of the live (or hatching) pet and is now present. */
    private Uni<Boolean> enterIfOwner(WebSocketConnection connection, long petId, Player player) {
        return pets.find(petId).chain(found -> {
            boolean owner = found.isPresent()
                    ? found.get().alive() && Objects.equals(found.get().owner(), player.id())
                    : pets.hatching(petId).map(a -> Objects.equals(a.owner(), player.id())).orElse(false);
            return owner
                    ? presence.enter(lease.instance(), connection.id(), petId, player.id()).replaceWith(true)
                    : Uni.createFrom().item(false);
        });
    }
}
