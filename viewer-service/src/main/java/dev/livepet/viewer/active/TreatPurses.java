package dev.livepet.viewer.active;

import dev.livepet.viewer.active.rules.TreatPurse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Players' treat purses in PostgreSQL. Giving is one conditional upsert: the row lock of ON CONFLICT serialises
 * concurrent gives on every instance, the WHERE re-checked on the locked row keeps a purse from going below zero,
 * and the same statement tells every instance (NOTIFY, sent at commit) so that all the giver's tabs show the count.
 */
@ApplicationScoped
public class TreatPurses {
    /** LISTEN/NOTIFY channel; payload "playerId treats period". */
    public static final String CHANNEL = "livepet_treats";

    // a purse of an older period counts as full: that is the refill, TreatPurse.in(...) as SQL
    private static final String GIVE = """
            WITH purse AS (
                INSERT INTO treat_purses AS p (player_id, treats, period) VALUES ($1, $2, $3)
                ON CONFLICT (player_id) DO UPDATE SET
                    treats = CASE WHEN p.period < EXCLUDED.period THEN EXCLUDED.treats ELSE p.treats - 1 END,
                    period = GREATEST(p.period, EXCLUDED.period)
                WHERE p.treats > 0 OR p.period < EXCLUDED.period
                RETURNING treats, period)
            SELECT treats, period, pg_notify('%s', $1::text || ' ' || treats || ' ' || period) FROM purse
            """.formatted(CHANNEL);

    private static final String REFUND = """
            WITH purse AS (
                UPDATE treat_purses SET treats = LEAST(treats + 1, $3) WHERE player_id = $1 AND period = $2
                RETURNING treats, period)
            SELECT treats, period, pg_notify('%s', $1::text || ' ' || treats || ' ' || period) FROM purse
            """.formatted(CHANNEL);

    private final Pool db;

    public TreatPurses(Pool db) {
        this.db = db;
    }

    /** The player's purse as stored; empty when they never gave a treat. */
    public Uni<Optional<TreatPurse>> of(String playerId) {
        return db.preparedQuery("SELECT treats, period FROM treat_purses WHERE player_id = $1")
                .execute(Tuple.of(playerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(purse(rows.iterator().next())));
    }

    /** Takes one treat from the purse as it is in {@code period}; empty when it had none left. */
    public Uni<Optional<TreatPurse>> give(String playerId, long period, int full) {
        return db.preparedQuery(GIVE).execute(Tuple.of(playerId, full - 1, period)).map(TreatPurses::first);
    }

    /** Puts back a treat that could not be sent, unless the purse was refilled meanwhile. */
    public Uni<Optional<TreatPurse>> refund(String playerId, long period, int full) {
        return db.preparedQuery(REFUND).execute(Tuple.of(playerId, period, full)).map(TreatPurses::first);
    }

    private static Optional<TreatPurse> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(purse(rows.iterator().next()));
    }

    private static TreatPurse purse(Row row) {
        return new TreatPurse(row.getInteger("treats"), row.getLong("period"));
    }
}
