package dev.livepet.viewer.active;

import dev.livepet.viewer.active.rules.ActivePet;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Owners on their own pets' pages, one row per connection, on every viewer instance. Rows count only while their
 * instance's lease lasts; every change is announced on {@link #CHANNEL} in the same statement (NOTIFY at commit).
 */
@ApplicationScoped
public class PresenceTable {
    public static final String CHANNEL = "livepet_presence";
    private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1::text)";

    private final Pool db;

    public PresenceTable(Pool db) {
        this.db = db;
    }

    /** This instance is alive for {@code lease} more. */
    public Uni<Void> renewLease(String instance, Duration lease) {
        return db.preparedQuery("""
                INSERT INTO viewer_instances (instance_id, lease_until) VALUES ($1, now() + $2 * interval '1 millisecond')
                ON CONFLICT (instance_id) DO UPDATE SET lease_until = EXCLUDED.lease_until""")
                .execute(Tuple.of(instance, lease.toMillis())).replaceWithVoid();
    }

    public Uni<Void> enter(String instance, String connection, long petId, String ownerId) {
        return db.withTransaction(tx -> tx.preparedQuery(
                        "INSERT INTO pet_presence (instance_id, connection_id, pet_id, owner_id) VALUES ($1, $2, $3, $4)"
                                + " ON CONFLICT DO NOTHING")
                .execute(Tuple.of(instance, connection, petId, ownerId))
                .chain(() -> tx.preparedQuery(NOTIFY).execute(Tuple.of("enter " + petId)))).replaceWithVoid();
    }

    public Uni<Void> leave(String instance, String connection) {
        return db.preparedQuery("""
                WITH gone AS (DELETE FROM pet_presence WHERE instance_id = $1 AND connection_id = $2 RETURNING pet_id)
                SELECT pg_notify('%s', 'leave ' || pet_id) FROM gone""".formatted(CHANNEL))
                .execute(Tuple.of(instance, connection)).replaceWithVoid();
    }

    /** An instance going away takes its owners with it. */
    public Uni<Void> leaveAll(String instance) {
        return db.withTransaction(tx -> tx.preparedQuery("DELETE FROM pet_presence WHERE instance_id = $1")
                .execute(Tuple.of(instance))
                .chain(() -> tx.preparedQuery("DELETE FROM viewer_instances WHERE instance_id = $1").execute(Tuple.of(instance)))
                .chain(() -> tx.preparedQuery(NOTIFY).execute(Tuple.of("gone " + instance)))).replaceWithVoid();
    }

    /** Forgets the presence of instances whose lease ended (crashed ones); announces it when there was any. */
    public Uni<Integer> expire() {
        return db.preparedQuery("""
                WITH dead AS (DELETE FROM viewer_instances WHERE lease_until < now() RETURNING instance_id),
                     gone AS (DELETE FROM pet_presence pr WHERE NOT EXISTS (
                                  SELECT 1 FROM viewer_instances vi WHERE vi.instance_id = pr.instance_id
                                  AND vi.lease_until >= now())
                              RETURNING pr.pet_id)
                SELECT count(*) AS gone, (SELECT count(*) FROM dead) AS dead,
                       CASE WHEN count(*) > 0 THEN pg_notify('%s', 'expired') END FROM gone""".formatted(CHANNEL))
                .execute().map(rows -> rows.iterator().next().getLong("gone").intValue());
    }

    /**
     * The live pets whose owners are on their pages on some instance whose lease lasts, each once: at most
     * {@code most}, those whose owners came most recently.
     */
    public Uni<List<ActivePet>> active(int most) {
        return db.preparedQuery("""
                SELECT p.id, p.owner, p.name, p.species, p.hunger
                FROM (SELECT pr.pet_id, pr.owner_id, max(pr.entered_at) AS entered
                      FROM pet_presence pr
                      JOIN viewer_instances vi ON vi.instance_id = pr.instance_id AND vi.lease_until >= now()
                      GROUP BY pr.pet_id, pr.owner_id) here
                JOIN pets_now p ON p.id = here.pet_id AND p.alive AND p.owner = here.owner_id
                ORDER BY here.entered DESC, p.id
                LIMIT $1""")
                .execute(Tuple.of(most)).map(rows -> {
                    List<ActivePet> pets = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        pets.add(new ActivePet(r.getLong("id"), r.getString("owner"), r.getString("name"),
                                r.getString("species"), r.getInteger("hunger")));
                    }
                    return pets;
                });
    }
}
