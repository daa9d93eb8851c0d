package dev.livepet.persistence.kafka;

import dev.livepet.persistence.PersistenceSettings;
import dev.livepet.persistence.db.PetTable;
import dev.livepet.persistence.domain.DeadLetter;
import dev.livepet.persistence.domain.LatestState;
import dev.livepet.persistence.domain.PendingTicks;
import dev.livepet.persistence.domain.TickLanes;
import io.micrometer.core.instrument.Counter;
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
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The lane of tick-only changes: held in memory per partition, coalesced by pet, each partition written once every
 * {@code livepet.persistence.tick-flush-interval} (or all at once, early, once too many pets wait). The partitions
 * take turns, spread over the interval: the write load stays even instead of one burst a minute. A batch is acknowledged
 * only after the flush that wrote its ticks, so no offset is committed past a pending tick:
 * a crash loses nothing, Kafka replays it and the version guard makes the replay harmless.
 */
@ApplicationScoped
public class TickLane {
    private static final Logger LOG = Logger.getLogger(TickLane.class);

    // per batch one mark per partition (its CommitPoints entry), never the batch's records: holding those until the
    // flush would keep every record's payload in memory, gigabytes at 200,000 records/s and a 60 s interval
    private final TickLanes<Runnable> pending = new TickLanes<>();
    private final PetTable pets;
    private final DeadLetterTopic deadLetters;
    private final PersistenceSettings settings;
    private final Vertx vertx;
    private final Timer flushDuration;
    private final Counter flushedPets;
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
        this.flushedPets = Counter.builder("livepet.persistence.tick.flushed.pets")
                .description("pets written by tick-lane flushes (their newest tick-only state)").register(registry);
        Gauge.builder("livepet.persistence.tick.pending.pets", pending, TickLanes::pets)
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

    /** The lane of one partition, where the consumer holds that partition's ticks. */
    PendingTicks<Runnable> lane(int partition) {
        return pending.lane(partition);
    }

    /** The partitions went to another instance, which reads their uncommitted ticks again: none is written here. */
    void forget(Collection<Integer> partitions) {
        pending.forget(partitions);
    }

    /**
     * The consumer has held a batch's ticks: each partition's part of the batch is acknowledged by the flush that
     * writes that partition's ticks.
     *
     * @return completes at once, or, once too many pets wait, when a flush has written them: the consumer waits
     *         too, so memory stays bounded even while PostgreSQL is away and flushes cannot finish
     */
    Uni<Void> waitFor(Map<Integer, Runnable> acknowledgementOfEachPartition) {
        long now = System.nanoTime();
        acknowledgementOfEachPartition.forEach((partition, ack) -> pending.lane(partition).waitFor(ack, now));
        if (pending.pets() < settings.tickMaxPendingPets()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(this::flush).replaceWithVoid();
    }

    /**
     * Writes every pending tick-only state of every partition and then acknowledges their batches.
     *
     * @return completes once this flush (after any running one) has written and acknowledged
     */
    public CompletionStage<Void> flush() {
        return after(pending::drainAll);
    }

    /** The partition that has waited longest, if any waits, written and acknowledged after any running flush. */
    private CompletionStage<Void> flushLongestWaiting() {
        return after(() -> {
            int partition = pending.longestWaiting();
            return pending.drain(partition);
        });
    }

    private synchronized CompletionStage<Void> after(Supplier<PendingTicks.Flush<Runnable>> drain) {
        lastFlush = lastFlush.handle((ignored, e) -> null).thenCompose(ignored -> writeAndAcknowledge(drain));
        return lastFlush;
    }

    /** Each partition's turn comes once an interval: the interval divided by the partitions there are. */
    private void scheduleNext() {
        if (stopped) {
            return;
        }
        long turn = Math.max(1, settings.tickFlushInterval().toMillis() / Math.max(1, pending.lanes()));
        vertx.setTimer(turn, id -> {
            if (!stopped) {
                flushLongestWaiting().whenComplete((ignored, e) -> scheduleNext());
            }
        });
    }

    private CompletableFuture<Void> writeAndAcknowledge(Supplier<PendingTicks.Flush<Runnable>> drain) {
        // drained (copied and sorted) on a worker thread: never an event loop's second, the consumer's among them
        return Uni.createFrom().item(drain).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(flush -> writeAndAcknowledge(flush))
                .subscribeAsCompletionStage();
    }

    private Uni<Void> writeAndAcknowledge(PendingTicks.Flush<Runnable> flush) {
        if (flush.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Timer.Sample sample = Timer.start();
        return Multi.createFrom().iterable(flush.chunks(settings.tickPetsPerStatement()))
                .onItem().transformToUni(pets::write).merge(settings.tickFlushConcurrency())
                .collect().in(() -> new ArrayList<>(flush.poison()), List<DeadLetter>::addAll)
                .chain(deadLetters::send)
                .invoke(() -> flush.acknowledgements().forEach(Runnable::run))
                .invoke(() -> sample.stop(flushDuration))
                .invoke(() -> flushedPets.increment(flush.states().size()))
                .invoke(() -> LOG.debugf("tick flush: %d pets written, %d batches acknowledged",
                        flush.states().size(), flush.acknowledgements().size()))
                .replaceWithVoid();
    }

    private static double oldestPendingSeconds(TickLanes<?> pending) {
        long since = pending.oldestSince();
        return since < 0 ? 0 : (System.nanoTime() - since) / 1e9;
    }
}
