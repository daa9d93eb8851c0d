package dev.livepet.viewer.player;

import dev.livepet.viewer.player.rules.SessionPrincipal;
import io.quarkus.runtime.BlockingOperationNotAllowedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.Optional;

/**
 * The one place that answers "who is this?": the player logged in through the session cookie (Quarkus form
 * authentication with an encrypted cookie, so any viewer instance with the same key knows them, while the session
 * has not been ended: see AccountIdentities.Session).
 */
@ApplicationScoped
@Named("players")
public class PlayerCookie {
    /** The session a WebSocket was opened with. */
    public static final TypedKey<SessionPrincipal> SESSION = new TypedKey<>("livepet.session");

    private final CurrentIdentityAssociation identities;

    public PlayerCookie(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    /** The player of the current HTTP request; a visitor who is not logged in is sent to log in. */
    public Player current() {
        return player(identities.getIdentity()).orElseThrow(UnauthorizedException::new);
    }

    /** The session of the current HTTP request, if a player is logged in. */
    public Optional<SessionPrincipal> session() {
        return session(identities.getIdentity());
    }

    /** Whether the current HTTP request comes from a logged-in player. */
    public boolean loggedIn() {
        try {
            return player(identities.getIdentity()).isPresent();
        } catch (BlockingOperationNotAllowedException unknown) {
            // finding the player failed (PostgreSQL out of reach): the page that says so shows a visitor's links
            return false;
        }
    }

    /**
     * The player who opened a WebSocket: WebSockets Next keeps the identity the upgrade request was authenticated
     * with (the handshake carried the session cookie), so this is called from the endpoint's callbacks. The
     * connection is marked with its session ({@link #SESSION}), so that it closes when the session ends.
     */
    public Optional<Player> of(WebSocketConnection connection) {
        Optional<SessionPrincipal> session = session(identities.getIdentity());
        session.ifPresent(s -> connection.userData().put(SESSION, s));
        return session.map(s -> new Player(s.playerId()));
    }

    // the principal also names the session's generation; the player is the account alone
    private static Optional<Player> player(SecurityIdentity identity) {
        return session(identity).map(s -> new Player(s.playerId()));
    }

    private static Optional<SessionPrincipal> session(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? Optional.empty()
                : SessionPrincipal.parse(identity.getPrincipal().getName());
    }
}
