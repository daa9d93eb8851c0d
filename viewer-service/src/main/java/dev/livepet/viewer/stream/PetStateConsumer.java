package dev.livepet.viewer.stream;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.Topics;
import dev.livepet.contract.WorldPartitions;
import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.stream.rules.BacklogRule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the whole pet-state stream, from its end at start, on a thread of its own: every record is read with
 * {@link PetStateCodec} (poison is counted and skipped), the census counts events and ticks, the live stream applies
 * them to the watched pets. Every partition is assigned, in no group: each instance reads everything and remembers
 * nothing. A plain consumer, not a messaging channel: no wrapping and tracing of each record. A partition that falls
 * behind by more than a tick skips to its end ({@link BacklogRule}). At start it refuses a world whose ticks recorded
 * another partition count than pet-state has ({@link WorldPartitions}).
 */
@Startup // registers its meters at start
@ApplicationScoped
public class PetStateConsumer {
    private static final Logger LOG = Logger.getLogger(PetStateConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    // while pet-state does not exist yet (the world is being set up), look again this often
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(1);
    // a viewer that keeps falling behind says so at most this often
    private static final long SKIP_LOG_NANOS = Duration.ofSeconds(30).toNanos();
    // how long the start waits for the broker to say how many partitions pet-state has
    private static final Duration START_LOOKUP = Duration.ofSeconds(10);
    private static final Duration RECORDED_LOOKUP = Duration.ofSeconds(30);

    private final PetStateStream stream;
    private final Census census;
    private final PartitionClocks recorded;
    private final ViewerConfig.StreamConfig settings;
    private final BacklogRule backlog;
    private final Map<String, Object> kafka;
    private final MeterRegistry registry;
    private final Counter skips;
    private final Counter skippedRecords;
    private final Counter poison;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile Thread thread;
    private volatile boolean running;
    private volatile int partitions;
    private volatile Throwable failure;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    // whether the count was checked against the recorded one at start (else: once the topic is found)
    private boolean checkedAtStart;
    private long nextSkipLog = System.nanoTime();
    private long skippedSinceLog;

    public PetStateConsumer(PetStateStream stream, Census census, PartitionClocks recorded, ViewerConfig config,
                            @Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry) {
        this.stream = stream;
        this.census = census;
        this.recorded = recorded;
        this.settings = config.stream();
        this.backlog = new BacklogRule(settings.maxBehind(), settings.skipMinRecords());
        this.kafka = Map.copyOf(kafka);
        this.registry = registry;
        this.skips = Counter.builder("livepet.viewer.stream.skips")
                .description("times a pet-state partition was skipped to its end because this viewer fell behind")
                .register(registry);
        this.skippedRecords = Counter.builder("livepet.viewer.stream.skipped.records")
                .description("pet-state records skipped unread because this viewer fell behind").register(registry);
        this.poison = Counter.builder("livepet.viewer.poison.records")
                .description("pet-state records that could not be read (the persistence service dead-letters them); "
                        + "each is logged once and skipped").register(registry);
    }

    void start(@Observes StartupEvent start) {
        KafkaConsumer<byte[], byte[]> polling = new KafkaConsumer<>(properties(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            int found = partitionsNow(polling);
            if (found > 0) {
                refuseAnotherWorld(found);
                checkedAtStart = true;
            }
        } catch (RuntimeException e) {
            polling.close();
            throw e;
        }
        running = true;
        thread = new Thread(() -> consume(polling), "pet-state-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Refuses to read a pet-state of {@code topicPartitions} partitions when the world's ticks recorded another count
     * in PostgreSQL: its pets would be looked for in the wrong partitions.
     */
    public void refuseAnotherWorld(int topicPartitions) {
        String why = anotherWorld(topicPartitions);
        if (why != null) {
            throw new IllegalStateException(why);
        }
    }

    private String anotherWorld(int topicPartitions) {
        int count = recorded.recordedPartitions().await().atMost(RECORDED_LOOKUP);
        return WorldPartitions.mismatch(topicPartitions, count);
    }

    // pet-state's partition count if the broker says within a moment, else 0: the stream then waits for the topic
    private static int partitionsNow(KafkaConsumer<byte[], byte[]> polling) {
        try {
            List<PartitionInfo> infos = polling.partitionsFor(Topics.PET_STATE, START_LOOKUP);
            return infos == null ? 0 : infos.size();
        } catch (RuntimeException e) {
            LOG.infof("pet-state's partitions are not known yet (%s): the world's partition count is checked once "
                    + "the topic is found", e.toString());
            return 0;
        }
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> polling = consumer;
        if (polling != null) {
            polling.wakeup();
        }
        Thread consuming = thread;
        if (consuming != null) {
            consuming.join(5_000);
        }
    }

    private void consume(KafkaConsumer<byte[], byte[]> polling) {
        try (polling; KafkaClientMetrics metrics = new KafkaClientMetrics(polling)) {
            metrics.bindTo(registry);
            consumer = polling;
            if (!assignEveryPartition(polling)) {
                return;
            }
            while (running) {
                ConsumerRecords<byte[], byte[]> polled = polling.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : polled) {
                    read(record);
                }
                stream.show();
                keepUp(polling, polled);
            }
        } catch (WakeupException stopping) {
            // stop() woke it
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("Reading pet-state stopped; the liveness check now reports it, so that the viewer is restarted", e);
        } finally {
            consumer = null;
            running = false;
        }
    }

    /** One record: an event or a tick for the census and the live stream, or poison, counted and skipped. */
    private void read(ConsumerRecord<byte[], byte[]> record) {
        PetStateRecord read;
        try {
            read = PetStateCodec.read(record.key(), record.value(), record.partition(), partitions);
        } catch (PoisonRecordException e) {
            // the persistence service dead-letters poison; a viewer, one of many readers, only skips it
            skip(record, e.getMessage());
            return;
        } catch (RuntimeException e) {
            // whatever one record does, the stream (and every browser) goes on
            skip(record, e.toString());
            return;
        }
        if (read instanceof PetState event) {
            census.event(event);
            stream.event(event, record.headers());
        } else if (read instanceof PartitionTick tick && stream.tick(tick)) {
            census.tick(tick);
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String reason) {
        poison.increment();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        LOG.warnf("skipped pet-state record %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                PoisonRecordException.excerpt(key), reason);
    }

    /** Every partition of pet-state from its end, resolved now: from here on no record published is missed. */
    private boolean assignEveryPartition(KafkaConsumer<byte[], byte[]> polling) {
        List<PartitionInfo> infos = List.of();
        while (running && infos.isEmpty()) {
            try {
                infos = polling.partitionsFor(Topics.PET_STATE);
            } catch (WakeupException stopping) {
                throw stopping;
            } catch (RuntimeException e) {
                LOG.debugf("pet-state is not there yet: %s", e.toString());
            }
            if (infos == null || infos.isEmpty()) {
                infos = List.of();
                sleep(TOPIC_RETRY);
            }
        }
        if (!running) {
            return false;
        }
        List<TopicPartition> all = new ArrayList<>();
        for (PartitionInfo info : infos) {
            all.add(new TopicPartition(info.topic(), info.partition()));
        }
        polling.assign(all);
        polling.seekToEnd(all);
        for (TopicPartition partition : all) {
            positions.put(partition, polling.position(partition));
        }
        partitions = all.size();
        stream.assigned(partitions);
        if (!checkedAtStart) {
            // too late to refuse to start: the stream is not ready and says why
            try {
                String why = anotherWorld(partitions);
                if (why != null) {
                    LOG.error(why);
                    stream.mismatched(why);
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not read the world's partition count from PostgreSQL (%s): each tick record's count "
                        + "is checked still", e.toString());
            }
        }
        LOG.infof("reading %d pet-state partition(s) from their ends", partitions);
        return true;
    }

    /** Remembers how far each partition is read and skips the ones that fell more than a tick behind. */
    private void keepUp(KafkaConsumer<byte[], byte[]> polling, ConsumerRecords<byte[], byte[]> polled) {
        long now = System.currentTimeMillis();
        List<TopicPartition> behind = null;
        long skipped = 0;
        for (TopicPartition partition : polled.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = polled.records(partition);
            long lastReadAt = records.get(records.size() - 1).timestamp();
            OptionalLong lag = polling.currentLag(partition);
            if (lag.isPresent() && backlog.skips(lag.getAsLong(), lastReadAt, now)) {
                if (behind == null) {
                    behind = new ArrayList<>();
                }
                behind.add(partition);
                skipped += lag.getAsLong();
            }
        }
        if (behind != null) {
            polling.seekToEnd(behind);
            skips.increment(behind.size());
            skippedRecords.increment(skipped);
            behind.forEach(partition -> stream.skipped(partition.partition()));
            logSkip(behind.size(), skipped);
        }
        for (TopicPartition partition : polled.partitions()) {
            positions.put(partition, polling.position(partition));
        }
    }

    private void logSkip(int partitionsSkipped, long records) {
        skippedSinceLog += records;
        if (System.nanoTime() - nextSkipLog >= 0) {
            LOG.infof("fell more than %s behind pet-state: skipped %d partition(s) to their ends, %d records unread "
                    + "since the last such line; their watched pets are read again from PostgreSQL at their next tick",
                    settings.maxBehind(),
                    partitionsSkipped, skippedSinceLog);
            skippedSinceLog = 0;
            nextSkipLog = System.nanoTime() + SKIP_LOG_NANOS;
        }
    }

    private Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        // the pod's name on Kubernetes (where every process is pid 1), the process otherwise: who reads what, in tools
        String host = System.getenv("HOSTNAME");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, host != null && !host.isBlank() ? "livepet-viewer-" + host
                : "livepet-viewer-" + ProcessHandle.current().pid());
        p.putAll(kafka);
        // what correctness depends on comes last: committed states only, no group, nothing remembered or created
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return p;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How far this instance has read each partition of pet-state (for the dashboard's viewer lag). */
    public Map<TopicPartition, Long> positions() {
        return Map.copyOf(positions);
    }

    boolean reading() {
        return running && partitions > 0;
    }

    int partitions() {
        return partitions;
    }

    Throwable failure() {
        return failure;
    }

    /**
     * Ready once every partition is read from a known offset (from then on no record published is missed), and while
     * the world's ticks name pet-state's partition count.
     */
    @Readiness
    @ApplicationScoped
    public static class Reading implements HealthCheck {
        private final PetStateConsumer consumer;
        private final PetStateStream stream;

        public Reading(PetStateConsumer consumer, PetStateStream stream) {
            this.consumer = consumer;
            this.stream = stream;
        }

        @Override
        public HealthCheckResponse call() {
            String mismatch = stream.mismatch();
            return HealthCheckResponse.named("livepet-viewer-stream").status(consumer.reading() && mismatch == null)
                    .withData("partitions", consumer.partitions())
                    .withData("world", mismatch == null ? "this world" : mismatch).build();
        }
    }

    /** Alive while it reads: a stream that stopped on a failure is restarted with the viewer. */
    @Liveness
    @ApplicationScoped
    public static class Alive implements HealthCheck {
        private final PetStateConsumer consumer;

        public Alive(PetStateConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public HealthCheckResponse call() {
            Throwable failed = consumer.failure();
            return HealthCheckResponse.named("livepet-viewer-loop").status(failed == null)
                    .withData("failure", failed == null ? "none" : failed.toString()).build();
        }
    }
}
