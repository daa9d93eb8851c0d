package dev.livepet.viewer.stream;

import dev.livepet.contract.PetState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reads pets from the read model {@code pets_now}: each pet at its partition's current tick. On the reactive pool, so
 * pages, sockets and the stream's own thread can all call it.
 */
@ApplicationScoped
public class PetRepository {
    private static final String COLUMNS = "id, owner, name, species, age, hunger, alive, version, cause, tick,"
            + " changed_at, born_at";

    private final Pool db;

    public PetRepository(Pool db) {
        this.db = db;
    }

    public Uni<Optional<PetState>> state(long id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM pets_now WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(row(rows.iterator().next()).toState()));
    }

    /** The pets of these ids that PostgreSQL holds. */
    public Uni<List<PetState>> states(Collection<Long> ids) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM pets_now WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .map(rows -> rows(rows).stream().map(PetRow::toState).toList());
    }

    /** An owner's pets, alive and dead, newest first. */
    public Uni<List<PetRow>> ownedBy(String owner, int limit) {
        // born_at alone, as the index pets_owner_born has it: a tie-breaker would sort every pet born in one instant
        return db.preparedQuery("SELECT " + COLUMNS + " FROM pets_now WHERE owner = $1 ORDER BY born_at DESC LIMIT $2")
                .execute(Tuple.of(owner, limit)).map(PetRepository::rows);
    }

    /** How many living pets an owner has. */
    public Uni<Integer> aliveOwnedBy(String owner) {
        return db.preparedQuery("SELECT count(*) AS alive FROM pets_now WHERE owner = $1 AND alive").execute(Tuple.of(owner))
                .map(rows -> rows.iterator().next().getInteger("alive"));
    }

    private static List<PetRow> rows(RowSet<Row> rows) {
        List<PetRow> pets = new ArrayList<>(rows.size());
        for (Row r : rows) {
            pets.add(row(r));
        }
        return pets;
    }

    private static PetRow row(Row r) {
        return new PetRow(r.getLong("id"), r.getString("owner"), r.getString("name"), r.getString("species"),
                r.getInteger("age"), r.getInteger("hunger"), r.getBoolean("alive"), r.getLong("version"),
                r.getString("cause"), r.getLong("tick"), r.getOffsetDateTime("changed_at").toInstant(),
                r.getOffsetDateTime("born_at").toInstant());
    }
}
