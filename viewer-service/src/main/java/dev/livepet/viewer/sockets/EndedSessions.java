package dev.livepet.viewer.sockets;

import dev.livepet.viewer.player.PlayerCookie;
import dev.livepet.viewer.player.rules.SessionPrincipal;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The live sockets of a session that ended are closed with 1012, as at a restart: htmx reconnects them with the
 * browser's cookie of now, which the browser that changed the password has anew, and a thief's copy has not.
 */
@ApplicationScoped
public class EndedSessions {
    private static final Logger LOG = Logger.getLogger(EndedSessions.class);

    private final OpenConnections connections;

    public EndedSessions(OpenConnections connections) {
        this.connections = connections;
    }

    /** Closes this instance's sockets of the account opened with a session older than {@code first}. */
    public void closeSocketsBefore(SessionPrincipal first) {
        int closed = 0;
        for (WebSocketConnection connection : connections) {
            SessionPrincipal session = connection.userData().get(PlayerCookie.SESSION);
            if (session != null && session.accountId() == first.accountId()
                    && session.generation() < first.generation() && connection.isOpen()) {
                connection.close(new CloseReason(ClosingTime.SERVICE_RESTART, "the session ended; reconnect"))
                        .subscribe().with(done -> { }, e -> LOG.debugf("a socket of an ended session: %s", e));
                closed++;
            }
        }
        if (closed > 0) {
            LOG.debugf("closed %d live socket(s) of account %d's ended sessions", closed, first.accountId());
        }
    }
}
