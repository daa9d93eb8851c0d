package dev.livepet.persistence.db;

import dev.livepet.contract.PetState;
import dev.livepet.persistence.PersistenceSettings;
import dev.livepet.persistence.domain.DeadLetter;
import dev.livepet.persistence.domain.LatestState;
import com.carrotsearch.hppc.LongIntHashMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code pets} table (owned by this service, read by the viewer): every pet at its highest version.
 * One statement per batch; the version guard makes replays and duplicates harmless.
 */
@Startup // registers its meters at start, not on the first batch
@ApplicationScoped
public class PetTable {
    static final String UPSERT = """
            INSERT INTO pets (id, owner, name, species, age, hunger, alive, version, cause, changed_at, born_at, died_at)
            SELECT u.*, CASE WHEN u.alive THEN NULL ELSE u.changed_at END
            FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[],
                        $7::boolean[], $8::bigint[], $9::text[], $10::timestamptz[], $11::timestamptz[])
                 AS u(id, owner, name, species, age, hunger, alive, version, cause, changed_at, born_at)
            ON CONFLICT (id) DO UPDATE SET
                owner = EXCLUDED.owner, name = EXCLUDED.name, species = EXCLUDED.species, age = EXCLUDED.age,
                hunger = EXCLUDED.hunger, alive = EXCLUDED.alive, version = EXCLUDED.version,
                cause = EXCLUDED.cause, changed_at = EXCLUDED.changed_at, died_at = EXCLUDED.died_at
            WHERE pets.version < EXCLUDED.version""";

    private static final Comparator<LatestState> BY_ID = Comparator.comparingLong(pet -> pet.state().id());

    private final Pool pool;
    private final PersistenceSettings settings;
    private final PostgresOutage outage = new PostgresOutage();
    private final Counter rowsWritten;
    private final DistributionSummary petsPerWrite;
    private final Timer writeDuration;

    public PetTable(Pool pool, PersistenceSettings settings, MeterRegistry registry) {
        this.pool = pool;
        this.settings = settings;
        this.rowsWritten = Counter.builder("livepet.persistence.rows.written")
                .description("pets rows inserted or moved to a higher version").register(registry);
        this.petsPerWrite = DistributionSummary.builder("livepet.persistence.write.pets")
                .description("pets per upsert statement, after coalescing").publishPercentileHistogram()
                .register(registry);
        this.writeDuration = Timer.builder("livepet.persistence.write")
                .description("duration of one successful upsert statement").publishPercentileHistogram()
                .register(registry);
        Gauge.builder("livepet.persistence.postgres.outage", outage, o -> o.ongoing() ? 1 : 0)
                .description("1 while writes to PostgreSQL fail and are being retried").register(registry);
    }

    /**
     * Writes the pets, retrying forever with back-off while PostgreSQL fails, so that the batch is acknowledged
     * (and its offsets committed) only once it is in the database.
     *
     * @return the pets PostgreSQL refuses as data (e.g. text it cannot store): never writable, for the dead letters
     */
    public Uni<List<DeadLetter>> write(List<LatestState> pets) {
        if (pets.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        PersistenceSettings.Retry retry = settings.retry();
        return Uni.createFrom().deferred(() -> writeOnce(pets))
                .onFailure().invoke(e -> outage.failed(e, pets.size()))
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff()).indefinitely()
                .invoke(outage::ended);
    }

    private Uni<List<DeadLetter>> writeOnce(List<LatestState> pets) {
        return upsert(pets)
                .map(rows -> List.<DeadLetter>of())
                .onFailure(PetTable::isRefusedData).recoverWithUni(e -> writeOneByOne(pets));
    }

    /** One refused value fails the whole statement: find the pets at fault so that the others get written. */
    private Uni<List<DeadLetter>> writeOneByOne(List<LatestState> pets) {
        return Multi.createFrom().iterable(pets)
                .onItem().transformToUniAndConcatenate(pet -> upsert(List.of(pet))
                        .map(rows -> Optional.<DeadLetter>empty())
                        .onFailure(PetTable::isRefusedData).recoverWithItem(e -> Optional.of(
                                new DeadLetter(pet.record(), "refused by PostgreSQL: " + e.getMessage()))))
                .filter(Optional::isPresent).map(Optional::get)
                .collect().asList();
    }

    private Uni<Integer> upsert(List<LatestState> pets) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start();
            return pool.preparedQuery(UPSERT).execute(columns(pets))
                    .map(RowSet::rowCount)
                    .invoke(rows -> {
                        sample.stop(writeDuration);
                        petsPerWrite.record(pets.size());
                        rowsWritten.increment(rows);
                    });
        });
    }

    private static Tuple columns(List<LatestState> unordered) {
        // in id order: every statement locks its rows in the same order, so a lifecycle write and a tick flush
        // touching the same pets never deadlock
        List<LatestState> pets = inIdOrder(unordered);
        int n = pets.size();
        Long[] id = new Long[n];
        String[] owner = new String[n];
        String[] name = new String[n];
        String[] species = new String[n];
        Integer[] age = new Integer[n];
        Integer[] hunger = new Integer[n];
        Boolean[] alive = new Boolean[n];
        Long[] version = new Long[n];
        String[] cause = new String[n];
        OffsetDateTime[] changedAt = new OffsetDateTime[n];
        OffsetDateTime[] bornAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            PetState s = pets.get(i).state();
            id[i] = s.id();
            owner[i] = s.owner();
            name[i] = s.name();
            species[i] = s.species().id();
            age[i] = s.age();
            hunger[i] = s.hunger();
            alive[i] = s.alive();
            version[i] = s.version();
            cause[i] = s.cause().id();
            changedAt[i] = time(s.at());
            bornAt[i] = time(pets.get(i).firstAt());
        }
        return Tuple.tuple()
                .addArrayOfLong(id).addArrayOfString(owner).addArrayOfString(name).addArrayOfString(species)
                .addArrayOfInteger(age).addArrayOfInteger(hunger).addArrayOfBoolean(alive).addArrayOfLong(version)
                .addArrayOfString(cause).addArrayOfOffsetDateTime(changedAt).addArrayOfOffsetDateTime(bornAt);
    }

    /**
     * The pets sorted by id through a primitive sort of their ids: a comparator sort following each pet's pointers
     * took an eighth of the service's CPU on a backlog. Pets already in id order (a tick flush) stay as they are.
     */
    static List<LatestState> inIdOrder(List<LatestState> pets) {
        int n = pets.size();
        long[] ids = new long[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            ids[i] = pets.get(i).state().id();
            sorted &= i == 0 || ids[i - 1] <= ids[i];
        }
        if (sorted) {
            return pets;
        }
        LongIntHashMap positions = new LongIntHashMap(n);
        for (int i = 0; i < n; i++) {
            int slot = positions.indexOf(ids[i]);
            if (positions.indexExists(slot)) {
                // one pet twice (never after coalescing): the comparator keeps both
                List<LatestState> both = new ArrayList<>(pets);
                both.sort(BY_ID);
                return both;
            }
            positions.indexInsert(slot, ids[i], i);
        }
        Arrays.sort(ids);
        List<LatestState> ordered = new ArrayList<>(n);
        for (long id : ids) {
            ordered.add(pets.get(positions.get(id)));
        }
        return ordered;
    }

    private static OffsetDateTime time(long epochMillis) {
        // through LocalDateTime: OffsetDateTime.ofInstant builds the offset's ZoneRules anew for every value
        LocalDateTime utc = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
                (int) Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.UTC);
        return OffsetDateTime.of(utc, ZoneOffset.UTC);
    }

    /** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): retrying can never help. */
    static boolean isRefusedData(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
    }
}
