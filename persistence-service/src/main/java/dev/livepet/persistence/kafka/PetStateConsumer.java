package dev.livepet.persistence.kafka;

import dev.livepet.contract.TickPeek;
import dev.livepet.contract.Topics;
import dev.livepet.persistence.PersistenceSettings;
import dev.livepet.persistence.db.PetTable;
import dev.livepet.persistence.domain.BatchesInFlight;
import dev.livepet.persistence.domain.CommitPoints;
import dev.livepet.persistence.domain.DeadLetter;
import dev.livepet.persistence.domain.LatestState;
import dev.livepet.persistence.domain.PendingTicks;
import dev.livepet.persistence.domain.PetBatch;
import dev.livepet.persistence.domain.StateRecord;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads {@code pet-state} on a thread of its own and keeps the {@code pets} table at each pet's highest version, in
 * two lanes: pets with a lifecycle change (adopted, fed, treat, died) are written at once, while the next poll is
 * read ({@code lifecycle-batches-in-flight}); pets that only ticked wait in the {@link TickLane} for its next flush.
 * A partition's offset is committed only past batches whose states are all in PostgreSQL ({@link CommitPoints}), so
 * a crash loses nothing: Kafka replays and the version guard makes the replay harmless. A plain consumer, not a
 * messaging channel: wrapping each of 200,000 records a second in a message took a seventh of the service's CPU.
 */
@Startup // registers its meters at start, not on the first batch
@ApplicationScoped
public class PetStateConsumer {
    private static final Logger LOG = Logger.getLogger(PetStateConsumer.class);
    // while no batch may start, how long to wait for one to finish before polling (heartbeats, rebalances) again
    private static final Duration WAIT_FOR_ROOM = Duration.ofMillis(50);

    private final PetTable pets;
    private final DeadLetterTopic deadLetters;
    private final TickLane ticks;
    private final PersistenceSettings settings;
    private final Map<String, Object> kafka;
    private final MeterRegistry registry;
    private final BatchesInFlight inFlight;
    private final CommitPoints commitPoints = new CommitPoints();
    private final DistributionSummary batchRecords;
    private final Timer lifecycleVisibility;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean joined;
    private volatile Throwable failure;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public PetStateConsumer(PetTable pets, DeadLetterTopic deadLetters, TickLane ticks, PersistenceSettings settings,
                            @Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry) {
        this.pets = pets;
        this.deadLetters = deadLetters;
        this.ticks = ticks;
        this.settings = settings;
        this.kafka = Map.copyOf(kafka);
        this.registry = registry;
        this.inFlight = new BatchesInFlight(settings.lifecycleBatchesInFlight());
        this.batchRecords = DistributionSummary.builder("livepet.persistence.batch.records")
                .description("pet-state records per consumed batch, before coalescing").publishPercentileHistogram()
                .register(registry);
        this.lifecycleVisibility = Timer.builder("livepet.persistence.lifecycle.visibility")
                .description("per lifecycle write, the event time of its oldest change to its commit in PostgreSQL:"
                        + " the lifecycle lane's lag")
                .publishPercentileHistogram().register(registry);
    }

    void start(@Observes StartupEvent start) {
        running = true;
        thread = new Thread(this::consume, "pet-state-consumer");
        thread.start();
    }

    /** Before the tick lane's last flush (a lower priority runs first): no new batch comes in meanwhile. */
    void stop(@Observes @Priority(1) ShutdownEvent stop) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> polling = consumer;
        if (polling != null) {
            polling.wakeup();
        }
        Thread consuming = thread;
        if (consuming != null) {
            consuming.join(settings.shutdownFlushTimeout().toMillis() + 5_000);
        }
    }

    private void consume() {
        CompletableFuture<Void> room = CompletableFuture.completedFuture(null);
        try (KafkaConsumer<String, byte[]> polling = new KafkaConsumer<>(properties(), new StringDeserializer(),
                new ByteArrayDeserializer());
             KafkaClientMetrics metrics = new KafkaClientMetrics(polling)) {
            metrics.bindTo(registry);
            consumer = polling;
            polling.subscribe(List.of(Topics.PET_STATE), new Rebalance(polling));
            long nextCommit = System.nanoTime();
            while (running) {
                if (room.isDone()) {
                    polling.resume(polling.paused());
                } else {
                    // paused, but still polling: heartbeats and rebalances go on while PostgreSQL is slow or away
                    polling.pause(polling.assignment());
                }
                ConsumerRecords<String, byte[]> polled;
                try {
                    polled = polling.poll(room.isDone() ? settings.consumption().pollTimeout() : Duration.ZERO);
                } catch (WakeupException stopping) {
                    break; // stop() woke it: finish below, with the consumer still open to commit
                }
                if (!polled.isEmpty()) {
                    room = persist(polled);
                } else if (!room.isDone()) {
                    waitFor(room);
                }
                if (System.nanoTime() - nextCommit >= 0) {
                    commit(polling, false);
                    nextCommit = System.nanoTime() + settings.consumption().commitInterval().toNanos();
                }
            }
            finish(polling);
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            consumer = null;
        }
    }

    /** Graceful stop: what is being written and what waits in the tick lane goes in, then its offsets are committed. */
    private void finish(KafkaConsumer<String, byte[]> polling) {
        long deadline = System.nanoTime() + settings.shutdownFlushTimeout().toNanos();
        try {
            while (inFlight.writing() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            ticks.flush().toCompletableFuture().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("The last writes did not finish (%s); Kafka replays their states at the next start", e.toString());
        }
        commit(polling, true);
    }

    private void fail(Throwable e) {
        failure = e;
        running = false;
        LOG.error("Consuming pet-state stopped; the liveness check now reports it, so that the service is restarted", e);
    }

    private static void waitFor(CompletableFuture<Void> room) {
        try {
            room.get(WAIT_FOR_ROOM.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // poll again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a failed batch reports itself
        }
    }

    private Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        // cooperative: a rebalance moves only the partitions that change owner, the others keep their tick lanes
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a backlog (after a restart or an outage) is caught up in fewer, larger statements
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.consumption().maxPollRecords());
        // the pod's name on Kubernetes (where every process is pid 1), the process otherwise: who owns what, in tools
        String host = System.getenv("HOSTNAME");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, host != null && !host.isBlank() ? "livepet-persistence-" + host
                : "livepet-persistence-" + ProcessHandle.current().pid());
        p.putAll(kafka);
        // what correctness depends on comes last: committed states only, offsets committed by hand after writing
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumption().groupId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return p;
    }

    /** One poll: ticks held in their partition's lane, lifecycle changes written now. */
    private CompletableFuture<Void> persist(ConsumerRecords<String, byte[]> polled) {
        batchRecords.record(polled.count());
        // plain ticks straight into their partition's lane, read at both ends only; the rest read whole
        TickPeek peek = new TickPeek();
        Set<Integer> ticked = new HashSet<>();
        Map<Integer, Runnable> written = new HashMap<>();
        List<StateRecord> others = new ArrayList<>();
        for (TopicPartition partition : polled.partitions()) {
            PendingTicks<Runnable> lane = ticks.lane(partition.partition());
            List<ConsumerRecord<String, byte[]>> records = polled.records(partition);
            for (ConsumerRecord<String, byte[]> r : records) {
                if (peek.read(r.value()) && peek.isKeyOfThisPet(r.key())) {
                    lane.hold(peek.id(), peek.version(), peek.at(), r.value(), r.offset());
                    ticked.add(r.partition());
                } else {
                    others.add(new StateRecord(r.key(), r.value(), r.partition(), r.offset()));
                }
            }
            written.put(partition.partition(),
                    commitPoints.polled(partition.partition(), records.get(records.size() - 1).offset()));
        }
        PetBatch batch = PetBatch.coalesce(others);
        for (LatestState tick : batch.ticksOnly()) {
            ticks.lane(tick.record().partition()).hold(tick);
            ticked.add(tick.record().partition());
        }
        // started now, marked written when it is; the next poll is read meanwhile, up to the batches in flight
        CompletableFuture<Void> write = write(batch, ticked, written).subscribeAsCompletionStage();
        return inFlight.admit(write).toCompletableFuture();
    }

    private Uni<Void> write(PetBatch batch, Set<Integer> ticked, Map<Integer, Runnable> written) {
        List<LatestState> lifecycle = batch.lifecycle();
        return pets.write(lifecycle)
                .invoke(() -> recordVisibility(lifecycle))
                .chain(refused -> deadLetters.send(concat(batch.poison(), refused)))
                .chain(() -> {
                    // a partition's part of the batch is written now, or, if it held ticks, once their flush ran
                    Map<Integer, Runnable> byTheFlush = new HashMap<>();
                    written.forEach((partition, mark) -> {
                        if (ticked.contains(partition)) {
                            byTheFlush.put(partition, mark);
                        } else {
                            mark.run();
                        }
                    });
                    return ticks.waitFor(byTheFlush);
                })
                .onFailure().invoke(this::fail);
    }

    /** Commits how far each partition is written; on the polling thread only, as the Kafka client requires. */
    private void commit(KafkaConsumer<String, byte[]> polling, boolean andWait) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        commitPoints.committable().forEach((partition, offset) ->
                offsets.put(new TopicPartition(Topics.PET_STATE, partition), new OffsetAndMetadata(offset)));
        if (offsets.isEmpty()) {
            return;
        }
        if (andWait) {
            try {
                try {
                    polling.commitSync(offsets);
                } catch (WakeupException stopping) {
                    polling.commitSync(offsets); // stop()'s wakeup, unused by a poll: it is spent now
                }
            } catch (RuntimeException e) {
                LOG.warnf("Could not commit pet-state offsets (%s); Kafka replays those states, harmlessly", e.toString());
            }
        } else {
            polling.commitAsync(offsets, (committed, e) -> {
                if (e != null) {
                    LOG.warnf("Could not commit pet-state offsets (%s); the next commit carries them", e.toString());
                }
            });
        }
    }

    /**
     * Partitions given up commit what is written first; a batch of theirs written later commits nothing here, and
     * their tick lanes are dropped.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> polling;

        private Rebalance(KafkaConsumer<String, byte[]> polling) {
            this.polling = polling;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            joined = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (!revoked.isEmpty()) {
                commit(polling, true);
                forget(revoked);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
        }

        /** What waits for a flush there is not committed: the next owner reads it again from the committed offset. */
        private void forget(Collection<TopicPartition> partitions) {
            List<Integer> gone = partitions.stream().map(TopicPartition::partition).toList();
            commitPoints.forget(gone);
            ticks.forget(gone);
        }
    }

    /** Whether it consumes and has joined its group (through methods: the health checks hold a client proxy). */
    boolean joined() {
        return running && joined;
    }

    /** Why consuming stopped, or null while it goes on. */
    Throwable failure() {
        return failure;
    }

    private void recordVisibility(List<LatestState> written) {
        // once per write, its oldest change: a timer per pet took a tenth of the service's CPU on a backlog
        if (written.isEmpty()) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (LatestState pet : written) {
            oldest = Math.min(oldest, pet.state().at());
        }
        lifecycleVisibility.record(Math.max(0, System.currentTimeMillis() - oldest), TimeUnit.MILLISECONDS);
    }

    private static List<DeadLetter> concat(List<DeadLetter> a, List<DeadLetter> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<DeadLetter> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Ready once this instance has joined the persistence group (it may have been given no partition). */
    @Readiness
    @ApplicationScoped
    public static class Joined implements HealthCheck {
        private final PetStateConsumer consumer;

        public Joined(PetStateConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("pet-state consumer joined its group").status(consumer.joined()).build();
        }
    }

    /** Alive while it consumes: a consumer that stopped on a failure is restarted with the service. */
    @Liveness
    @ApplicationScoped
    public static class Consuming implements HealthCheck {
        private final PetStateConsumer consumer;

        public Consuming(PetStateConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public HealthCheckResponse call() {
            Throwable failed = consumer.failure();
            return HealthCheckResponse.named("pet-state consumer")
                    .status(failed == null)
                    .withData("failure", failed == null ? "none" : failed.toString())
                    .build();
        }
    }
}
