package dev.livepet.viewer.world;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Living and dead pets in PostgreSQL's read model. Neither count needs the partition clocks the view joins, so
 * PostgreSQL drops the join and each count is an index-only scan of one of the persistence service's partial indexes
 * (pets_alive_born, pets_died), never of the whole table.
 */
@ApplicationScoped
public class PetTotals {
    private static final String COUNT = "SELECT (SELECT count(*) FROM pets_now WHERE alive) AS alive,"
            + " (SELECT count(*) FROM pets_now WHERE NOT alive) AS dead";

    private final Pool db;

    public PetTotals(Pool db) {
        this.db = db;
    }

    public Uni<Totals> count() {
        return db.query(COUNT).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new Totals(row.getLong("alive"), row.getLong("dead"));
        });
    }

    public record Totals(long alive, long dead) {
    }
}
