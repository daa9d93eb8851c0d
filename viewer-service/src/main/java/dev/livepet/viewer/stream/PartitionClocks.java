package dev.livepet.viewer.stream;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The partitions' clocks as the persistence service keeps them in {@code partition_clocks}: how far PostgreSQL has
 * followed each partition, and the partition count the world's ticks recorded.
 */
@ApplicationScoped
public class PartitionClocks {
    // the table does not exist until the persistence service migrated its schema: nothing recorded yet
    private static final String UNDEFINED_TABLE = "42P01";

    private final Pool db;

    public PartitionClocks(Pool db) {
        this.db = db;
    }

    /** The partition count the world's ticks recorded, 0 when none did. */
    public Uni<Integer> recordedPartitions() {
        return db.query("SELECT coalesce(max(partitions), 0) AS partitions FROM partition_clocks").execute()
                .map(rows -> rows.iterator().next().getInteger("partitions"))
                .onFailure(PartitionClocks::noTable).recoverWithItem(0);
    }

    /** The last tick of the partition that PostgreSQL holds, 0 when it holds none. */
    public Uni<Long> tick(int partition) {
        return db.preparedQuery("SELECT tick FROM partition_clocks WHERE partition = $1").execute(Tuple.of(partition))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return 0L;
                    }
                    Row row = rows.iterator().next();
                    return row.getLong("tick");
                })
                .onFailure(PartitionClocks::noTable).recoverWithItem(0L);
    }

    private static boolean noTable(Throwable failure) {
        return failure instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState());
    }
}
