package dev.livepet.viewer.sockets;

import dev.livepet.viewer.player.PlayerCookie;
import dev.livepet.viewer.player.rules.SessionPrincipal;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.function.Predicate;

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

    /** Closes this instance's sockets of the account opened with a session older than its generation {@code first}. */
    public void closeSocketsBefore(long accountId, int first) {
        close(session -> session.accountId() == accountId && session.generation() < first, "account " + accountId);
    }

    /** Closes this instance's sockets of one session that ended (logged out), named as the notice names it. */
    public void closeSocketsOf(Predicate<SessionPrincipal> session) {
        close(session, "a logged out session");
    }

    private void close(Predicate<SessionPrincipal> ended, String whose) {
        int closed = 0;
        for (WebSocketConnection connection : connections) {
            SessionPrincipal session = connection.userData().get(PlayerCookie.SESSION);
            if (session != null && ended.test(session) && connection.isOpen()) {
                connection.close(new CloseReason(ClosingTime.SERVICE_RESTART, "the session ended; reconnect"))
                        .subscribe().with(done -> { }, e -> LOG.debugf("a socket of an ended session: %s", e));
                closed++;
            }
        }
        if (closed > 0) {
            LOG.debugf("closed %d live socket(s) of %s's ended sessions", closed, whose);
        }
    }
}
