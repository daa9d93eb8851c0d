package dev.livepet.viewer.limits;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How often each player acted in the current window (and, for logins, each email and client address), counted in
 * PostgreSQL so that every instance agrees.
 */
@ApplicationScoped
public class RateWindows {
    private static final String USE = """
            INSERT INTO player_rate_windows AS w (player_id, action, window_start, used) VALUES ($1, $2, $3, 1)
            ON CONFLICT (player_id, action) DO UPDATE SET
                used = CASE WHEN w.window_start < EXCLUDED.window_start THEN 1 ELSE w.used + 1 END,
                window_start = GREATEST(w.window_start, EXCLUDED.window_start)
            RETURNING used
            """;
    private static final String FORGET = "DELETE FROM player_rate_windows WHERE action = $1 AND window_start < $2";

    private final Pool db;

    public RateWindows(Pool db) {
        this.db = db;
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
}
