package dev.livepet.viewer.accounts;

import dev.livepet.viewer.accounts.rules.KnownGeneration;
import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.player.rules.SessionPrincipal;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a session is still one of its account's: its generation must be the account's. Every request and socket
 * upgrade asks, so this instance keeps what it learned per account for {@code session-check-interval} and reads
 * PostgreSQL only past that; a raise made anywhere reaches it at once on {@link #CHANNEL} (see ViewerNotices).
 */
@ApplicationScoped
public class SessionGenerations {
    public static final String CHANNEL = "livepet_sessions";
    private static final Logger LOG = Logger.getLogger(SessionGenerations.class);
    private static final int NO_ACCOUNT = -1;
    // how long what was learned of an account is kept once it is no longer trusted without asking
    private static final Duration KEPT = Duration.ofHours(1);

    private final Map<Long, KnownGeneration> known = new ConcurrentHashMap<>();
    private final Pool db;
    private final Vertx vertx;
    private final Duration trust;

    public SessionGenerations(Pool db, Vertx vertx, ViewerConfig config) {
        this.db = db;
        this.vertx = vertx;
        this.trust = config.accounts().sessionCheckInterval();
    }

    // kept an hour, not just the trusted interval: during a PostgreSQL outage it still vouches for the players it knows
    void onStart(@Observes StartupEvent start) {
        vertx.setPeriodic(Math.max(1_000, trust.toMillis()), timer -> {
            long now = System.nanoTime();
            known.values().removeIf(k -> k.olderThan(KEPT, now));
        });
    }

    /** Whether this session has not been ended (its generation is still the account's). */
    public Uni<Boolean> current(SessionPrincipal session) {
        KnownGeneration k = known.get(session.accountId());
        if (k != null) {
            switch (k.of(session.generation(), System.nanoTime(), trust)) {
                case ACCEPT:
                    return Uni.createFrom().item(Boolean.TRUE);
                case REFUSE:
                    return Uni.createFrom().item(Boolean.FALSE);
                default:
                    break;
            }
        }
        return read(session.accountId()).map(generation -> generation == session.generation())
                .onFailure().recoverWithUni(e -> {
                    KnownGeneration last = known.get(session.accountId());
                    if (last != null && last.vouchesFor(session.generation())) {
                        LOG.debugf("PostgreSQL did not answer (%s): account %d's session taken at the generation last"
                                + " learned", e.toString(), session.accountId());
                        return Uni.createFrom().item(Boolean.TRUE);
                    }
                    return Uni.createFrom().failure(e);
                });
    }

    /** An account's generation and what it ends: every session that began at an older one. */
    public record Raise(long accountId, int generation) {
    }

    /** This instance raised an account's generation: it knows at once, before the notice comes back. */
    public void learned(long accountId, int generation) {
        learn(accountId, new KnownGeneration(generation, System.nanoTime()));
    }

    /** A notice on {@link #CHANNEL}, "accountId generation". */
    public Optional<Raise> heard(String notice) {
        int space = notice.indexOf(' ');
        try {
            Raise raise = new Raise(Long.parseLong(notice.substring(0, Math.max(space, 0))),
                    Integer.parseInt(notice.substring(space + 1)));
            if (raise.accountId <= 0 || raise.generation < 0) {
                throw new IllegalArgumentException("not an account and a generation");
            }
            learned(raise.accountId, raise.generation);
            return Optional.of(raise);
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            LOG.warnf("skipped a session notice that is not 'accountId generation': %s", notice);
            return Optional.empty();
        }
    }

    /** The notices were not heard for a while (the listening connection came back): what was learned may be stale. */
    public void forgetAll() {
        known.clear();
    }

    private Uni<Integer> read(long accountId) {
        // a raise after the read began is what the read may miss: it counts from then
        long began = System.nanoTime();
        return db.preparedQuery("SELECT session_generation FROM accounts WHERE id = $1").execute(Tuple.of(accountId))
                .map(rows -> {
                    Iterator<Row> row = rows.iterator();
                    return row.hasNext()
                            ? learn(accountId, new KnownGeneration(row.next().getInteger(0), began)).generation()
                            : NO_ACCOUNT;
                });
    }

    private KnownGeneration learn(long accountId, KnownGeneration news) {
        return known.merge(accountId, news, KnownGeneration::or);
    }
}
