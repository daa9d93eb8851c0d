package dev.livepet.viewer.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** How often each player acted in the current window, counted in PostgreSQL so that every instance agrees. */
@ApplicationScoped
public class RateWindows {
    private static final String USE = """
            INSERT INTO player_rate_windows AS w (player_id, action, window_start, used) VALUES ($1, $2, $3, 1)
            ON CONFLICT (player_id, action) DO UPDATE SET
                used = CASE WHEN w.window_start < EXCLUDED.window_start THEN 1 ELSE w.used + 1 END,
                window_start = GREATEST(w.window_start, EXCLUDED.window_start)
            RETURNING used
            """;

    private final Pool db;

    public RateWindows(Pool db) {
        this.db = db;
    }

    /** Counts one more action of the player in {@code window} and returns how many it has been, this one included. */
    public Uni<Integer> use(String playerId, String action, long window) {
        return db.preparedQuery(USE).execute(Tuple.of(playerId, action, window))
                .map(rows -> rows.iterator().next().getInteger("used"));
    }
}
