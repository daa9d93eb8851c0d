package dev.livepet.viewer.pets;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.PetState;
import dev.livepet.viewer.pets.rules.PetId;
import dev.livepet.viewer.player.Player;
import dev.livepet.viewer.player.PlayerCookie;
import dev.livepet.viewer.stream.LiveViewer;
import dev.livepet.viewer.stream.PetRepository;
import dev.livepet.viewer.stream.PetWatches;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A pet page's live part: on open the browser gets the newest state known at once, then every newer one (each event,
 * each tick of its partition while it lives), as the card fragment that htmx swaps in by id.
 */
@WebSocket(path = "/pets/{id}/live")
public class PetLiveSocket {
    private static final Logger LOG = Logger.getLogger(PetLiveSocket.class);
    private static final TypedKey<LiveViewer> VIEWER = new TypedKey<>("livepet.viewer");
    private static final TypedKey<Long> PET = TypedKey.forLong("livepet.pet");
    // 1008: policy violation, the standard code for "this request makes no sense here"
    private static final int NOT_A_PET = 1008;

    private final PetWatches watches;
    private final PetRepository repository;
    private final PlayerCookie players;
    private final PetCard cards;

    public PetLiveSocket(PetWatches watches, PetRepository repository, PlayerCookie players, PetCard cards) {
        this.watches = watches;
        this.repository = repository;
        this.players = players;
        this.cards = cards;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        OptionalLong id = PetId.parse(connection.pathParam("id"));
        if (id.isEmpty()) {
            return connection.close(new CloseReason(NOT_A_PET, "not a pet id"));
        }
        long petId = id.getAsLong();
        Optional<Player> player = players.of(connection);
        if (player.isEmpty()) {
            return connection.close(new CloseReason(NOT_A_PET, "not logged in"));
        }
        // someone else's living pet is refused before anything of it is sent; every later state is checked too
        Optional<PetState> latest = watches.newest(petId, Optional.empty());
        Optional<String> owner = latest.isPresent() ? latest.filter(PetState::alive).map(PetState::owner)
                : watches.hatching(petId).map(AdoptCommand::owner);
        if (owner.isPresent() && !owner.get().equals(player.get().id())) {
            return connection.close(new CloseReason(NOT_A_PET, "not your pet"));
        }
        LiveViewer viewer = new LiveViewer(state -> cards.render(state, player), connection::sendText);
        connection.userData().put(VIEWER, viewer);
        connection.userData().put(PET, petId);
        Optional<PetState> known = watches.watch(petId, viewer);
        LOG.debugf("a browser watches pet %d: %s", petId, known.map(s -> "version " + s.version() + ", tick " + s.tick()
                + " known here").orElse("no state here yet"));
        if (known.isPresent()) {
            viewer.offer(known.get());
            return Uni.createFrom().voidItem();
        }
        // nothing live here yet: the read model's row, unless the stream overtakes it (the newer state wins)
        return repository.state(petId)
                .invoke(stored -> stored.ifPresent(watches::offer))
                .onFailure().invoke(e -> LOG.warnf("could not read pet %d for a browser: %s", petId, e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        LiveViewer viewer = connection.userData().get(VIEWER);
        Long petId = connection.userData().get(PET);
        if (viewer != null && petId != null) {
            viewer.close();
            watches.unwatch(petId, viewer);
        }
    }
}
