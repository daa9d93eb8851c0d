package dev.livepet.viewer.active;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.UUID;

/**
 * This instance's lease on its presence rows: renewed every heartbeat; a crashed instance stops renewing and any
 * other instance clears its owners once the lease ended. Each heartbeat also re-reads who is around, which heals
 * a missed notification (a reconnect, a pet whose row appeared after its owner did).
 */
@ApplicationScoped
public class PresenceLease {
    private static final Logger LOG = Logger.getLogger(PresenceLease.class);

    // new per process: a restarted instance never inherits the rows of its previous life
    private final String instance = UUID.randomUUID().toString();
    private final PresenceTable presence;
    private final ActiveAudience audience;
    private final PresenceConfig config;
    private final Vertx vertx;
    private long timer = -1;

    public PresenceLease(PresenceTable presence, ActiveAudience audience, PresenceConfig config, Vertx vertx) {
        this.presence = presence;
        this.audience = audience;
        this.config = config;
        this.vertx = vertx;
    }

    public String instance() {
        return instance;
    }

    void onStart(@Observes StartupEvent start) {
        presence.renewLease(instance, config.lease()).await().atMost(Duration.ofSeconds(30));
        timer = vertx.setPeriodic(config.heartbeat().toMillis(), t -> heartbeat());
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        try {
            presence.leaveAll(instance).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("could not clear this instance's presence (its lease will end): %s", e.toString());
        }
    }

    private void heartbeat() {
        presence.renewLease(instance, config.lease())
                .chain(presence::expire)
                .subscribe().with(gone -> {
                    if (gone > 0) {
                        LOG.infof("cleared %d presences of viewer instances whose lease ended", gone);
                    }
                    audience.changed();
                }, failure -> LOG.warnf("presence heartbeat failed: %s", failure.toString()));
    }
}
