package dev.livepet.viewer.sockets;

import io.quarkus.runtime.ShutdownDelayInitiated;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * When the viewer begins to stop, every browser's live socket is closed with 1012 (Service Restart), and new sockets
 * are refused until it is gone: htmx's WebSocket extension reconnects by itself after 1006, 1012 and 1013 only, and
 * the server's own close when it stops (1001, Going Away) left pages frozen until reloaded. This needs
 * {@code quarkus.shutdown.delay-enabled}: the delay's start is the only moment before the HTTP server closes them.
 */
@ApplicationScoped
class ClosingTime {
    private static final Logger LOG = Logger.getLogger(ClosingTime.class);
    static final short SERVICE_RESTART = 1012;

    private final OpenConnections connections;
    private volatile boolean closing;

    ClosingTime(OpenConnections connections) {
        this.connections = connections;
    }

    @ShutdownDelayInitiated
    void closeLiveSockets() {
        closing = true;
        Collection<WebSocketConnection> open = connections.listAll();
        List<Uni<Void>> closed = open.stream()
                .map(c -> c.close(new CloseReason(SERVICE_RESTART, "the viewer restarts; reconnect"))
                        .onFailure().recoverWithNull())
                .toList();
        if (!closed.isEmpty()) {
            // a browser that does not answer must not hold the shutdown up
            Uni.join().all(closed).andCollectFailures().replaceWithVoid()
                    .ifNoItem().after(Duration.ofSeconds(5)).recoverWithItem((Void) null)
                    .onFailure().recoverWithNull()
                    .await().indefinitely();
        }
        LOG.infof("Stopping: closed %d live socket(s) with 1012 so that the browsers reconnect", open.size());
    }

    /** A socket opened meanwhile would be cut with 1001 again: refuse it, the browser tries again later. */
    void refuseNewSockets(@Observes Filters filters) {
        filters.register(rc -> {
            if (closing && "websocket".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.UPGRADE))) {
                rc.response().setStatusCode(503).end();
            } else {
                rc.next();
            }
        }, 100);
    }
}
