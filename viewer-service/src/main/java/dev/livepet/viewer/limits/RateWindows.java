package dev.livepet.viewer.limits;

import dev.livepet.viewer.limits.rules.RateWindow;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often each player acted in the current window (and, for logins, sign-ups and mails, each email and client
 * address), counted in PostgreSQL so that every instance agrees.
 */
@ApplicationScoped
public class RateWindows {
    private static final Logger LOG = Logger.getLogger(RateWindows.class);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private static final String USE = """
            INSERT INTO player_rate_windows AS w (player_id, action, window_start, used) VALUES ($1, $2, $3, 1)
            ON CONFLICT (player_id, action) DO UPDATE SET
                used = CASE WHEN w.window_start < EXCLUDED.window_start THEN 1 ELSE w.used + 1 END,
                window_start = GREATEST(w.window_start, EXCLUDED.window_start)
            RETURNING used
            """;
    private static final String FORGET = "DELETE FROM player_rate_windows WHERE action = $1 AND window_start < $2";

    private final Pool db;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, RateWindow> swept = new ConcurrentHashMap<>();
    private long sweeper = -1;

    public RateWindows(Pool db, Vertx vertx) {
        this.db = db;
        this.vertx = vertx;
    }

    /** Counts one more action of {@code who} in {@code window} and returns how many it has been, this one included. */
    public Uni<Integer> use(String who, String action, long window) {
        return db.preparedQuery(USE).execute(Tuple.of(who, action, window))
                .map(rows -> rows.iterator().next().getInteger("used"));
    }

    /** Forgets the counts of {@code action} from windows before {@code window}: they no longer limit anything. */
    public Uni<Integer> forget(String action, long window) {
        return db.preparedQuery(FORGET).execute(Tuple.of(action, window)).map(rows -> rows.rowCount());
    }

    /**
     * Forgets past windows of {@code action} every minute from now on: it is counted under keys anyone may choose (an
     * email, an address), and the table would grow with every one.
     */
    public void sweep(String action, RateWindow window) {
        swept.put(action, window);
    }

    /** Forgets the past windows of every swept action now. */
    public Uni<Void> forgetPastWindows() {
        Instant now = clock.instant();
        return Multi.createFrom().iterable(Map.copyOf(swept).entrySet())
                .onItem().transformToUniAndConcatenate(e -> forget(e.getKey(), e.getValue().windowAt(now)))
                .collect().last().replaceWithVoid();
    }

    void onStart(@Observes StartupEvent start) {
        sweeper = vertx.setPeriodic(SWEEP_EVERY.toMillis(), t -> forgetPastWindows().subscribe()
                .with(ok -> { }, e -> LOG.warnf("could not forget past rate windows: %s", e.toString())));
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }
}
