package dev.livepet.viewer.accounts;

import dev.livepet.viewer.accounts.rules.KnownSession;
import dev.livepet.viewer.accounts.rules.MailToken;
import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.player.rules.SessionPrincipal;
import io.quarkus.runtime.ShutdownEvent;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions as rows: each begins with a row that says until when it may live, and logging out deletes it, which
 * every instance hears at once on {@link #CHANNEL}. Like {@link SessionGenerations}, this instance trusts what it
 * learned of a session for {@code session-check-interval} and asks PostgreSQL only past that.
 */
@ApplicationScoped
public class PlayerSessions {
    public static final String CHANNEL = "livepet_session_ends";
    private static final Logger LOG = Logger.getLogger(PlayerSessions.class);
    // what was learned is kept this long: during a PostgreSQL outage it still vouches for the sessions it knows
    private static final Duration KEPT = Duration.ofHours(1);
    private static final Duration SWEEP_EVERY = Duration.ofHours(1);
    private static final String END = """
            WITH gone AS (DELETE FROM account_sessions WHERE id = $1 RETURNING id)
            SELECT count(*) FROM gone, pg_notify('%s', gone.id)
            """.formatted(CHANNEL);

    private final Map<String, KnownSession> known = new ConcurrentHashMap<>();
    private final Pool db;
    private final Vertx vertx;
    private final Duration trust;
    private final Duration lifetime;
    private final Duration rememberedLifetime;
    private long sweeper = -1;
    private long forgetter = -1;

    public PlayerSessions(Pool db, Vertx vertx, ViewerConfig config) {
        ViewerConfig.AccountsConfig accounts = config.accounts();
        this.db = db;
        this.vertx = vertx;
        this.trust = accounts.sessionCheckInterval();
        this.lifetime = accounts.sessionLifetime();
        this.rememberedLifetime = accounts.rememberedSessionLifetime();
    }

    /** A session of this account that begins now, at the account's generation {@code generation}. */
    public Uni<SessionPrincipal> start(long accountId, int generation, boolean remembered) {
        SessionPrincipal session = SessionPrincipal.fresh(accountId, generation);
        Instant now = Instant.now();
        Instant ends = now.plus(remembered ? rememberedLifetime : lifetime);
        return db.preparedQuery("INSERT INTO account_sessions (id, account_id, started_at, ends_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(stored(session), accountId, utc(now), utc(ends)))
                .invoke(() -> known.put(stored(session), new KnownSession(ends.toEpochMilli(), System.nanoTime())))
                .replaceWith(session);
    }

    /** Ends this session on every instance at once; its cookie is then refused wherever it comes. */
    public Uni<Void> end(SessionPrincipal session) {
        String id = stored(session);
        known.put(id, KnownSession.ended(System.nanoTime()));
        return db.preparedQuery(END).execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Whether the session still lives: not ended, and its lifetime not over. */
    public Uni<Boolean> current(SessionPrincipal session) {
        String id = stored(session);
        long nowNanos = System.nanoTime();
        KnownSession k = known.get(id);
        if (k != null && k.answers(nowNanos, trust)) {
            return Uni.createFrom().item(k.livesAt(System.currentTimeMillis()));
        }
        return read(id, session.accountId(), nowNanos).map(read -> read.livesAt(System.currentTimeMillis()))
                .onFailure().recoverWithUni(e -> {
                    KnownSession last = known.get(id);
                    if (last != null && last.livesAt(System.currentTimeMillis())) {
                        LOG.debugf("PostgreSQL did not answer (%s): a session of account %d taken as last learned",
                                e.toString(), session.accountId());
                        return Uni.createFrom().item(Boolean.TRUE);
                    }
                    return Uni.createFrom().failure(e);
                });
    }

    /** A notice on {@link #CHANNEL}: the stored id of a session that ended. */
    public void heard(String storedId) {
        known.put(storedId, KnownSession.ended(System.nanoTime()));
    }

    /** The notices were not heard for a while (the listening connection came back): what was learned may be stale. */
    public void forgetAll() {
        known.clear();
    }

    /** What the table and the notices name a session by: a SHA-256 of its id, which only the cookie carries. */
    public static String stored(SessionPrincipal session) {
        return MailToken.hash(session.id());
    }

    /** The sessions whose lifetime is over go: nothing accepts them any more. */
    public Uni<Integer> sweep() {
        return db.preparedQuery("DELETE FROM account_sessions WHERE ends_at < now()").execute().map(rows -> rows.rowCount());
    }

    void onStart(@Observes StartupEvent start) {
        forgetter = vertx.setPeriodic(Math.max(1_000, trust.toMillis()), timer -> {
            long now = System.nanoTime();
            known.values().removeIf(k -> k.olderThan(KEPT, now));
        });
        sweeper = vertx.setPeriodic(SWEEP_EVERY.toMillis(), timer -> sweep().subscribe()
                .with(gone -> { }, e -> LOG.warnf("could not sweep ended sessions: %s", e.toString())));
    }

    void onStop(@Observes ShutdownEvent stop) {
        for (long timer : new long[]{forgetter, sweeper}) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }

    private Uni<KnownSession> read(String id, long accountId, long began) {
        // an end after the read began is what the read may miss: it counts from then
        return db.preparedQuery("SELECT ends_at FROM account_sessions WHERE id = $1 AND account_id = $2")
                .execute(Tuple.of(id, accountId))
                .map(rows -> {
                    Iterator<Row> row = rows.iterator();
                    KnownSession read = row.hasNext()
                            ? new KnownSession(row.next().getOffsetDateTime(0).toInstant().toEpochMilli(), began)
                            : KnownSession.ended(began);
                    // an end heard meanwhile stays: it is final
                    return known.merge(id, read, (was, now) -> was.endsAtMillis() == KnownSession.ENDED ? was : now);
                });
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
