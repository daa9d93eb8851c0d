package dev.livepet.viewer.active;

import dev.livepet.viewer.accounts.PlayerSessions;
import dev.livepet.viewer.accounts.SessionGenerations;
import dev.livepet.viewer.active.rules.TreatPurse;
import dev.livepet.viewer.sockets.EndedSessions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * PostgreSQL's LISTEN/NOTIFY, on one dedicated connection per instance: presence and purse changes made by any
 * instance reach this instance's panels, and ended sessions its session checks and sockets. It reconnects by itself,
 * then re-reads who is around and forgets the session generations it knew (it may have missed raises meanwhile).
 */
@ApplicationScoped
public class ViewerNotices {
    private static final Logger LOG = Logger.getLogger(ViewerNotices.class);

    private final ActiveAudience audience;
    private final SessionGenerations sessions;
    private final PlayerSessions playerSessions;
    private final EndedSessions ended;
    private final PgSubscriber subscriber;

    public ViewerNotices(ActiveAudience audience, SessionGenerations sessions, PlayerSessions playerSessions,
                         EndedSessions ended, Vertx vertx,
                         @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
                         @ConfigProperty(name = "quarkus.datasource.username") String user,
                         // none in production without QUARKUS_DATASOURCE_PASSWORD: ProductionSettings names it
                         @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.audience = audience;
        this.sessions = sessions;
        this.playerSessions = playerSessions;
        this.ended = ended;
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url)
                .setUser(user).setPassword(password.orElse(null));
        this.subscriber = PgSubscriber.subscriber(vertx, options);
    }

    void onStart(@Observes StartupEvent start) {
        subscriber.reconnectPolicy(retries -> 1_000L);
        subscriber.channel(PresenceTable.CHANNEL).handler(payload -> audience.changed())
                .subscribeHandler(audience::changed);
        subscriber.channel(TreatPurses.CHANNEL).handler(this::purse);
        subscriber.channel(SessionGenerations.CHANNEL)
                .handler(notice -> sessions.heard(notice)
                        .ifPresent(raise -> ended.closeSocketsBefore(raise.accountId(), raise.generation())))
                .subscribeHandler(sessions::forgetAll);
        subscriber.channel(PlayerSessions.CHANNEL)
                .handler(storedId -> {
                    playerSessions.heard(storedId);
                    ended.closeSocketsOf(session -> PlayerSessions.stored(session).equals(storedId));
                })
                .subscribeHandler(playerSessions::forgetAll);
        subscriber.connect().await().atMost(Duration.ofSeconds(30));
    }

    void onStop(@Observes ShutdownEvent stop) {
        subscriber.closeAndForget();
    }

    /** "playerId treats period", as TreatPurses sends it. */
    private void purse(String payload) {
        String[] parts = payload.split(" ");
        if (parts.length != 3) {
            LOG.warnf("skipped a purse notice that is not 'player treats period': %s", payload);
            return;
        }
        try {
            audience.purseChanged(parts[0], new TreatPurse(Integer.parseInt(parts[1]), Long.parseLong(parts[2])));
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipped a purse notice that is not 'player treats period': %s", payload);
        }
    }
}
