package dev.livepet.persistence.db;

import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.PartitionTick;
import dev.livepet.persistence.PersistenceSettings;
import dev.livepet.persistence.domain.LatestEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a batch's events into {@code pets} and its ticks into {@code partition_clocks} in one PostgreSQL
 * transaction, so that {@code pets_now} never shows a clock without the deaths that came before its tick.
 */
@Startup // registers its meters at start, not on the first batch
@ApplicationScoped
public class BatchWriter {
    private final Pool pool;
    private final PersistenceSettings settings;
    private final PostgresOutage outage = new PostgresOutage();
    private final Counter rowsWritten;
    private final Counter clocksWritten;
    private final DistributionSummary petsPerWrite;
    private final Timer writeDuration;

    /** What one committed transaction did. */
    private record Written(int rows, int clocks, List<DeadLetter> refused) {
    }

    public BatchWriter(Pool pool, PersistenceSettings settings, MeterRegistry registry) {
        this.pool = pool;
        this.settings = settings;
        this.rowsWritten = Counter.builder("livepet.persistence.rows.written")
                .description("pets rows inserted or moved to a higher version").register(registry);
        this.clocksWritten = Counter.builder("livepet.persistence.clocks.written")
                .description("partition_clocks rows inserted or moved to a later tick").register(registry);
        this.petsPerWrite = DistributionSummary.builder("livepet.persistence.write.pets")
                .description("pets per upsert statement, after coalescing").publishPercentileHistogram()
                .register(registry);
        this.writeDuration = Timer.builder("livepet.persistence.write")
                .description("duration of one successful write transaction (a batch's events and clocks)")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("livepet.persistence.postgres.outage", outage, o -> o.ongoing() ? 1 : 0)
                .description("1 while writes to PostgreSQL fail and are being retried").register(registry);
    }

    /**
     * Writes the events and the clocks, retrying forever with back-off while PostgreSQL fails, so that the batch is
     * acknowledged (and its offsets committed) only once it is in the database.
     *
     * @param events one newest event per pet
     * @param clocks one newest tick per partition, in partition order
     * @return the events PostgreSQL refuses as data (e.g. text it cannot store): never writable, for the dead letters
     */
    public Uni<List<DeadLetter>> write(List<LatestEvent> events, List<PartitionTick> clocks) {
        if (events.isEmpty() && clocks.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        PersistenceSettings.Retry retry = settings.retry();
        return Uni.createFrom().deferred(() -> writeOnce(events, clocks))
                .onFailure().invoke(e -> outage.failed(e, events.size(), clocks.size()))
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff()).indefinitely()
                .invoke(outage::ended);
    }

    private Uni<List<DeadLetter>> writeOnce(List<LatestEvent> events, List<PartitionTick> clocks) {
        Timer.Sample sample = Timer.start();
        return inOneTransaction(events, clocks)
                .onFailure(BatchWriter::isRefusedData).recoverWithUni(e -> aroundTheRefused(events, clocks))
                .invoke(written -> {
                    sample.stop(writeDuration);
                    if (!events.isEmpty()) {
                        petsPerWrite.record(events.size()); // a tick alone writes no pets statement
                    }
                    rowsWritten.increment(written.rows());
                    clocksWritten.increment(written.clocks());
                })
                .map(Written::refused);
    }

    private Uni<Written> inOneTransaction(List<LatestEvent> events, List<PartitionTick> clocks) {
        return pool.withTransaction(connection -> upsertPets(connection, events)
                .chain(rows -> upsertClocks(connection, clocks).map(written -> new Written(rows, written, List.of()))));
    }

    /**
     * One refused value fails the whole statement: each pet is tried alone, in a transaction rolled back at once, to
     * find the ones at fault; the others are then written with the clocks in one transaction, as always. (A savepoint
     * cannot do it: the client gives up a transaction once PostgreSQL has reported it failed.) Clocks are numbers
     * and a time checked when read ({@code PetBatch}): nothing PostgreSQL could refuse.
     */
    private Uni<Written> aroundTheRefused(List<LatestEvent> events, List<PartitionTick> clocks) {
        return pool.withConnection(connection -> Multi.createFrom().iterable(events)
                        .onItem().transformToUniAndConcatenate(pet -> refusal(connection, pet))
                        .filter(Optional::isPresent).map(Optional::get)
                        .collect().asList())
                .chain(refused -> {
                    Set<LatestEvent> atFault = Collections.newSetFromMap(new IdentityHashMap<>());
                    refused.forEach(refusal -> atFault.add(refusal.pet()));
                    List<LatestEvent> writable = events.stream().filter(pet -> !atFault.contains(pet)).toList();
                    List<DeadLetter> letters = refused.stream().map(Refusal::letter).toList();
                    return inOneTransaction(writable, clocks)
                            .map(written -> new Written(written.rows(), written.clocks(), letters));
                });
    }

    /** A pet PostgreSQL refuses, and why. */
    private record Refusal(LatestEvent pet, DeadLetter letter) {
    }

    private static Uni<Optional<Refusal>> refusal(SqlConnection connection, LatestEvent pet) {
        return connection.begin().chain(transaction -> upsertPets(connection, List.of(pet))
                .map(rows -> Optional.<Refusal>empty())
                .onFailure(BatchWriter::isRefusedData).recoverWithItem(e -> Optional.of(new Refusal(pet,
                        pet.record().refused("refused by PostgreSQL: " + e.getMessage()))))
                .onTermination().call((found, failure, cancelled) -> transaction.rollback()));
    }

    private static Uni<Integer> upsertPets(SqlConnection connection, List<LatestEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Uni.createFrom().deferred(() -> connection.preparedQuery(PetTable.UPSERT).execute(PetTable.columns(events)))
                .map(RowSet::rowCount);
    }

    private static Uni<Integer> upsertClocks(SqlConnection connection, List<PartitionTick> clocks) {
        if (clocks.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Uni.createFrom().deferred(() -> connection.preparedQuery(ClockTable.UPSERT).execute(ClockTable.columns(clocks)))
                .map(RowSet::rowCount);
    }

    /** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): retrying can never help. */
    static boolean isRefusedData(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
    }
}
