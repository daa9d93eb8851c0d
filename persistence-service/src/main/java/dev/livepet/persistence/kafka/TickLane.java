package dev.livepet.persistence.kafka;

import dev.livepet.persistence.PersistenceSettings;
import dev.livepet.persistence.db.PetTable;
import dev.livepet.persistence.domain.DeadLetter;
import dev.livepet.persistence.domain.LatestState;
import dev.livepet.persistence.domain.PendingTicks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The lane of tick-only changes: held in memory, coalesced by pet, written every
 * {@code livepet.persistence.tick-flush-interval} (or early, once too many pets wait). A batch is acknowledged
 * only after the flush that wrote its ticks, so the throttled commit strategy never commits past a pending tick:
 * a crash loses nothing, Kafka replays it and the version guard makes the replay harmless.
 */
@ApplicationScoped
public class TickLane {
    private static final Logger LOG = Logger.getLogger(TickLane.class);

    // per batch only its latest record of each partition (acking those is acking the batch): a held batch would
    // keep every record's payload in memory until the flush, gigabytes at 200,000 records/s and a 60 s interval
    private final PendingTicks<Collection<? extends Message<?>>> pending = new PendingTicks<>();
    private final PetTable pets;
    private final DeadLetterTopic deadLetters;
    private final PersistenceSettings settings;
    private final Vertx vertx;
    private final Timer flushDuration;
    private CompletableFuture<Void> lastFlush = CompletableFuture.completedFuture(null); // guarded by this
    private volatile boolean stopped;

    public TickLane(PetTable pets, DeadLetterTopic deadLetters, PersistenceSettings settings, Vertx vertx,
                    MeterRegistry registry) {
        this.pets = pets;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.vertx = vertx;
        this.flushDuration = Timer.builder("livepet.persistence.tick.flush")
                .description("duration of one tick-lane flush: every pending pet written, their batches acknowledged")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("livepet.persistence.tick.pending.pets", pending, PendingTicks::pets)
                .description("pets whose tick-only state waits for the next flush").register(registry);
        Gauge.builder("livepet.persistence.tick.pending.age", pending, TickLane::oldestPendingSeconds)
                .description("seconds the oldest batch of the tick lane has waited: the lane's lag")
                .baseUnit("seconds").register(registry);
    }

    void start(@Observes StartupEvent start) {
        scheduleNext();
    }

    /** Graceful shutdown: what waits is written before the service goes; a timeout only means a replay. */
    void stop(@Observes ShutdownEvent stop) {
        stopped = true;
        try {
            flush().toCompletableFuture().get(settings.shutdownFlushTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("The last tick flush did not finish (%s); Kafka replays those ticks at the next start", e);
        }
    }

    /**
     * Holds a batch's tick-only states; the batch is acknowledged by the flush that writes them.
     *
     * @return completes at once, or, once too many pets wait, when a flush has written them: the consumer waits
     *         too, so memory stays bounded even while PostgreSQL is away and flushes cannot finish
     */
    Uni<Void> hold(Collection<LatestState> ticks, Collection<? extends Message<?>> latestOfEachPartition) {
        int waiting = pending.hold(ticks, latestOfEachPartition, System.nanoTime());
        if (waiting < settings.tickMaxPendingPets()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(this::flush).replaceWithVoid();
    }

    /**
     * Writes every pending tick-only state and then acknowledges their batches.
     *
     * @return completes once this flush (after any running one) has written and acknowledged
     */
    public synchronized CompletionStage<Void> flush() {
        lastFlush = lastFlush.handle((ignored, e) -> null).thenCompose(ignored -> writeAndAcknowledge());
        return lastFlush;
    }

    private void scheduleNext() {
        if (stopped) {
            return;
        }
        vertx.setTimer(Math.max(1, settings.tickFlushInterval().toMillis()), id -> {
            if (!stopped) {
                flush().whenComplete((ignored, e) -> scheduleNext());
            }
        });
    }

    private CompletableFuture<Void> writeAndAcknowledge() {
        // drained (copied and sorted) on a worker thread: never an event loop's second, the consumer's among them
        return Uni.createFrom().item(pending::drain).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(flush -> writeAndAcknowledge(flush))
                .subscribeAsCompletionStage();
    }

    private Uni<Void> writeAndAcknowledge(PendingTicks.Flush<Collection<? extends Message<?>>> flush) {
        if (flush.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Timer.Sample sample = Timer.start();
        return Multi.createFrom().iterable(flush.chunks(settings.tickPetsPerStatement()))
                .onItem().transformToUni(pets::write).merge(settings.tickFlushConcurrency())
                .collect().in(ArrayList<DeadLetter>::new, List::addAll)
                .chain(deadLetters::send)
                .chain(() -> Multi.createFrom().iterable(flush.acknowledgements()).onItem().<Message<?>>disjoint()
                        .onItem().transformToUniAndMerge(record -> Uni.createFrom().completionStage(record::ack))
                        .collect().last())
                .invoke(() -> sample.stop(flushDuration))
                .invoke(() -> LOG.debugf("tick flush: %d pets written, %d batches acknowledged",
                        flush.states().size(), flush.acknowledgements().size()))
                .replaceWithVoid();
    }

    private static double oldestPendingSeconds(PendingTicks<?> pending) {
        long since = pending.oldestSince();
        return since < 0 ? 0 : (System.nanoTime() - since) / 1e9;
    }
}
