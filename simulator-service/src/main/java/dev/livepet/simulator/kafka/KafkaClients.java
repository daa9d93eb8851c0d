package dev.livepet.simulator.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator's three Kafka clients. Each starts from tunable defaults, takes the application's {@code kafka.*}
 * properties on top, and ends with the settings its correctness depends on, which nothing overrides.
 */
public final class KafkaClients {
    /** The consumer group whose assignment decides which instance owns which pets. */
    public static final String GROUP_ID = "livepet-simulator";

    private final Map<String, Object> kafka;
    private final String instanceId;
    private final Duration transactionTimeout;
    private final AtomicInteger readers = new AtomicInteger();

    public KafkaClients(Map<String, Object> kafka, String instanceId, Duration transactionTimeout) {
        this.kafka = Map.copyOf(kafka);
        this.instanceId = instanceId;
        this.transactionTimeout = transactionTimeout;
    }

    public String transactionalId() {
        return "livepet-simulator-" + instanceId;
    }

    /** Reads commands as a member of the simulators' group, telling {@code rebalance} when the group rebalances. */
    KafkaConsumer<byte[], byte[]> commandConsumer(GroupRebalance rebalance) {
        Map<String, Object> p = new HashMap<>();
        // cooperative: a rebalance moves only the partitions that change owner, the others keep ticking
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, GroupRebalance.Watched.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a member learns that the group rebalances from a heartbeat's answer; the moved partitions wait for the
        // last member to rejoin, twice per cooperative rebalance (default 3 s)
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        p.putAll(kafka);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "livepet-simulator-" + instanceId);
        // static membership: an instance restarted after a crash takes its partitions back at once instead of
        // waiting for the session of its dead predecessor to time out (45 s)
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "livepet-simulator-" + instanceId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(GroupRebalance.CONFIG, rebalance);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads partitions of the state topic back, outside any group: committed records only, or with
     * {@code committedOnly} false just to learn the high watermark.
     */
    KafkaConsumer<byte[], byte[]> stateReader(boolean committedOnly) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        p.putAll(kafka);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "livepet-simulator-" + instanceId + "-restore-" + readers.incrementAndGet());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Publishes states and dead letters in transactions that also commit the command offsets. */
    KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.putAll(kafka);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "livepet-simulator-" + instanceId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
