package dev.livepet.persistence.kafka;

import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.Topics;
import dev.livepet.persistence.PersistenceSettings;
import dev.livepet.persistence.db.BatchWriter;
import dev.livepet.persistence.domain.BatchesInFlight;
import dev.livepet.persistence.domain.CommitPoints;
import dev.livepet.persistence.domain.LatestEvent;
import dev.livepet.persistence.domain.PetBatch;
import dev.livepet.persistence.domain.StateRecord;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
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
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads {@code pet-state} on a thread of its own and writes each poll in one PostgreSQL transaction: every pet's newest
 * event into {@code pets} (over a lower version only) and every partition's newest tick into {@code partition_clocks}
 * (over an earlier tick only), while the next poll is read ({@code batches-in-flight}). A partition's offset is
 * committed only past batches that are all in PostgreSQL ({@link CommitPoints}), so a crash loses nothing: Kafka
 * replays and the guards make the replay harmless. A plain consumer, not a messaging channel: wrapping each record in
 * a message took a seventh of the service's CPU when every tick of every pet was a record.
 */
@Startup // registers its meters at start, not on the first batch
@ApplicationScoped
public class PetStateConsumer {
    private static final Logger LOG = Logger.getLogger(PetStateConsumer.class);
    // while no batch may start, how long to wait for one to finish before polling (heartbeats, rebalances) again
    private static final Duration WAIT_FOR_ROOM = Duration.ofMillis(50);

    private final BatchWriter writer;
    private final DeadLetterTopic deadLetters;
    private final WorldPartitionCount worldPartitions;
    private final PersistenceSettings settings;
    private final Map<String, Object> kafka;
    private final MeterRegistry registry;
    private final BatchesInFlight inFlight;
    private final CommitPoints commitPoints = new CommitPoints();
    private final DistributionSummary batchRecords;
    private final Timer lifecycleVisibility;
    private final BatchTracing tracing;
    private volatile int partitions;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean joined;
    private volatile Throwable failure;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public PetStateConsumer(BatchWriter writer, DeadLetterTopic deadLetters, WorldPartitionCount worldPartitions,
                            PersistenceSettings settings, @Identifier("default-kafka-broker") Map<String, Object> kafka,
                            MeterRegistry registry, OpenTelemetry otel) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.worldPartitions = worldPartitions;
        this.settings = settings;
        this.kafka = Map.copyOf(kafka);
        this.registry = registry;
        this.inFlight = new BatchesInFlight(settings.batchesInFlight());
        this.tracing = new BatchTracing(otel);
        this.batchRecords = DistributionSummary.builder("livepet.persistence.batch.records")
                .description("pet-state records per consumed batch, before coalescing").publishPercentileHistogram()
                .register(registry);
        this.lifecycleVisibility = Timer.builder("livepet.persistence.lifecycle.visibility")
                .description("per write, the event time of its oldest event to its commit in PostgreSQL: how late"
                        + " pets_now shows an adoption, a meal, a treat or a death")
                .publishPercentileHistogram().register(registry);
    }

    /** Refuses to start (the exception ends the application's start) when the world has another partition count. */
    void start(@Observes StartupEvent start) {
        partitions = worldPartitions.checked();
        running = true;
        thread = new Thread(this::consume, "pet-state-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> polling = consumer;
        if (polling != null) {
            polling.wakeup();
        }
        Thread consuming = thread;
        if (consuming != null) {
            consuming.join(settings.shutdownTimeout().toMillis() + 5_000);
        }
    }

    private void consume() {
        CompletableFuture<Void> room = CompletableFuture.completedFuture(null);
        try (KafkaConsumer<byte[], byte[]> polling = new KafkaConsumer<>(properties(), new ByteArrayDeserializer(),
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
                ConsumerRecords<byte[], byte[]> polled;
                try {
                    polled = polling.poll(room.isDone() ? settings.consumption().pollTimeout() : Duration.ZERO);
                } catch (WakeupException stopping) {
                    break; // stop() woke it: finish below, with the consumer still open to commit
                }
                if (!polled.isEmpty()) {
                    try {
                        room = persist(polled);
                    } catch (WorldMismatch e) {
                        fail(e); // nothing of this poll is written or committed; what came before still is, below
                        break;
                    }
                } else {
                    passOver(polled.nextOffsets());
                    if (!room.isDone()) {
                        waitFor(room);
                    }
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

    /** Graceful stop: what is being written goes in, then its offsets are committed. */
    private void finish(KafkaConsumer<byte[], byte[]> polling) {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        try {
            while (inFlight.writing() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight.writing() > 0) {
            LOG.warn("The last writes did not finish in time; Kafka replays their records at the next start");
        }
        commit(polling, true);
    }

    private void fail(Throwable e) {
        failure = e;
        running = false;
        if (e instanceof WorldMismatch) {
            LOG.errorf("Consuming pet-state stopped; the liveness check now reports it: %s", e.getMessage());
        } else {
            LOG.error("Consuming pet-state stopped; the liveness check now reports it, so that the service is restarted", e);
        }
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
        // cooperative: a rebalance moves only the partitions that change owner, the others go on being written
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a backlog (after a restart or an outage) is caught up in fewer, larger statements
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.consumption().maxPollRecords());
        // the pod's name on Kubernetes (where every process is pid 1), the process otherwise: who owns what, in tools
        String host = System.getenv("HOSTNAME");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, host != null && !host.isBlank() ? "livepet-persistence-" + host
                : "livepet-persistence-" + ProcessHandle.current().pid());
        p.putAll(kafka);
        // what correctness depends on comes last: committed records only, offsets committed by hand after writing,
        // and never a topic made by asking for it (it would have the broker's default partition count)
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumption().groupId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return p;
    }

    /**
     * One poll: read, coalesced and written in one transaction, which runs while the next poll is read.
     *
     * @throws WorldMismatch when a tick names another partition count than the topic's: nothing of the poll is written
     */
    private CompletableFuture<Void> persist(ConsumerRecords<byte[], byte[]> polled) {
        batchRecords.record(polled.count());
        List<StateRecord> records = new ArrayList<>(polled.count());
        BatchTracing.Traced traced = tracing.traced();
        for (ConsumerRecord<byte[], byte[]> r : polled) {
            records.add(new StateRecord(r.key(), r.value(), r.partition(), r.offset()));
            traced.offer(r);
        }
        PetBatch batch = PetBatch.coalesce(records, partitions);
        if (batch.worldMismatch() != null) {
            throw new WorldMismatch(batch.worldMismatch());
        }
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>(polled.nextOffsets());
        List<Runnable> written = new ArrayList<>();
        for (TopicPartition partition : polled.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> part = polled.records(partition);
            if (!part.isEmpty()) {
                OffsetAndMetadata after = next.remove(partition);
                written.add(commitPoints.polled(partition.partition(),
                        after != null ? after.offset() : part.get(part.size() - 1).offset() + 1));
            }
        }
        passOver(next);
        // started now, marked written when it is; the next poll is read meanwhile, up to the batches in flight
        Span span = traced.start(polled.count());
        CompletableFuture<Void> write = write(batch, written)
                .onTermination().invoke((ok, failure, cancelled) -> BatchTracing.end(span, failure))
                .subscribeAsCompletionStage();
        return inFlight.admit(write).toCompletableFuture();
    }

    /** Partitions whose position moved past transaction markers only: nothing to write, in order behind the rest. */
    private void passOver(Map<TopicPartition, OffsetAndMetadata> positions) {
        positions.forEach((partition, next) -> commitPoints.polled(partition.partition(), next.offset()).run());
    }

    private Uni<Void> write(PetBatch batch, List<Runnable> written) {
        List<LatestEvent> events = batch.events();
        return writer.write(events, batch.clocks())
                .invoke(() -> recordVisibility(events))
                .chain(refused -> deadLetters.send(concat(batch.poison(), refused)))
                .invoke(() -> written.forEach(Runnable::run))
                .onFailure().invoke(this::fail);
    }

    /** Commits how far each partition is written; on the polling thread only, as the Kafka client requires. */
    private void commit(KafkaConsumer<byte[], byte[]> polling, boolean andWait) {
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
                LOG.warnf("Could not commit pet-state offsets (%s); Kafka replays those records, harmlessly", e.toString());
            }
        } else {
            polling.commitAsync(offsets, (committed, e) -> {
                if (e != null) {
                    LOG.warnf("Could not commit pet-state offsets (%s); the next commit carries them", e.toString());
                }
            });
        }
    }

    /** Partitions given up commit what is written first; a batch of theirs written later commits nothing here. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> polling;

        private Rebalance(KafkaConsumer<byte[], byte[]> polling) {
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

        /** What is still being written there is not committed here: the next owner reads it again. */
        private void forget(Collection<TopicPartition> partitions) {
            commitPoints.forget(partitions.stream().map(TopicPartition::partition).toList());
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

    private void recordVisibility(List<LatestEvent> written) {
        // once per write, its oldest event: a timer per pet took a tenth of the service's CPU on a backlog
        if (written.isEmpty()) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (LatestEvent pet : written) {
            oldest = Math.min(oldest, pet.event().at());
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
            return HealthCheckResponse.named("livepet-persistence-consumer").status(consumer.joined()).build();
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
            return HealthCheckResponse.named("livepet-persistence-loop")
                    .status(failed == null)
                    .withData("failure", failed == null ? "none" : failed.toString())
                    .build();
        }
    }
}
