package dev.livepet.viewer.sockets;

import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.sockets.rules.SameOrigin;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Optional;

/** Refuses a WebSocket upgrade sent by another site's page (cross-site WebSocket hijacking) with a 403. */
@ApplicationScoped
class SocketOrigins {
    static final String REFUSED = "A live page opens only from LivePet's own pages.";
    private static final Logger LOG = Logger.getLogger(SocketOrigins.class);

    private final Optional<String> publicUrl;

    SocketOrigins(ViewerConfig config) {
        this.publicUrl = config.accounts().publicUrl();
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
            if ("websocket".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.UPGRADE))
                    && !SameOrigin.allows(origin, rc.request().getHeader(HttpHeaders.HOST), publicUrl)) {
                LOG.debugf("refused a socket to %s from origin %s", rc.normalizedPath(), origin);
                rc.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8")
                        .end(REFUSED);
            } else {
                rc.next();
            }
        }, 110);
    }
}
