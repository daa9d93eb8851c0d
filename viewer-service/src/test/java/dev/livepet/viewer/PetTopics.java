package dev.livepet.viewer;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import dev.livepet.contract.TraceHeaders;
import dev.livepet.stack.LocalStackTestResource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Raw Kafka clients on the test stack: what the viewer sent, and pet-state records as the simulator publishes them
 * (events and partition ticks, through {@link PetStateCodec}, each in its partition).
 */
public final class PetTopics {
    /** The rule numbers the tests' ticks carry (the world's defaults). */
    public static final TickRule RULE = new TickRule(1, 5, 500);
    // the newest tick number published of each partition in this JVM: ticks count on, 1, 2, 3, …, whatever test sent them
    private static final Map<Integer, Long> ticks = new HashMap<>();

    private PetTopics() {
    }

    /** A command the viewer sent, with where it landed and the trace context it carries (or null). */
    public record Sent(String key, int partition, PetCommand command, String traceparent) {
    }

    /** Every record on pet-commands up to its current end: a command the viewer said it sent is among them. */
    public static List<Sent> commands() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PET_COMMANDS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Sent> sent = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    sent.add(new Sent(r.key(), r.partition(), PetJson.command(r.value()),
                            TraceHeaders.GETTER.get(r.headers(), TraceHeaders.TRACEPARENT)));
                }
            }
            return sent;
        }
    }

    /** The pet topics' partition count on the test stack. */
    public static int partitions() {
        return LocalStackTestResource.stack().settings().partitions();
    }

    public static int partitionOf(long petId) {
        return PetPartitioner.partitionOf(petId, partitions());
    }

    /** A pet's event, as the simulator publishes it: keyed by the pet, in the pet's partition. */
    public static void publish(PetState event) {
        publish(PetStateCodec.key(event.id()), PetStateCodec.write(event));
    }

    /** Exactly these bytes under this key (null is a tombstone), where the key's murmur2 places it. */
    public static void publish(String key, byte[] value) {
        publish(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    public static void publish(byte[] key, byte[] value) {
        send(new ProducerRecord<>(Topics.PET_STATE, key, value));
    }

    /** Exactly these bytes under this key, in this partition, wherever the key belongs. */
    public static void publish(int partition, byte[] key, byte[] value) {
        send(new ProducerRecord<>(Topics.PET_STATE, partition, key, value));
    }

    /** The tick record as is, in the partition it names. */
    public static void publish(PartitionTick tick) {
        publish(tick.partition(), PetStateCodec.tickKey(tick.partition()), PetStateCodec.write(tick));
    }

    /**
     * The partition's next tick, now: published as the simulator publishes it and kept in partition_clocks as the
     * persistence service keeps it.
     */
    public static PartitionTick tick(int partition) {
        return tick(partition, System.currentTimeMillis());
    }

    /** The partition's next tick, which happened at {@code at}. */
    public static PartitionTick tick(int partition, long at) {
        PartitionTick tick = nextTick(partition, at);
        publish(tick);
        PetsTable.clock(tick);
        return tick;
    }

    /** The partition's next tick record, for a test that publishes it itself; counted as published. */
    public static synchronized PartitionTick nextTick(int partition, long at) {
        long number = Math.max(ticks.getOrDefault(partition, 0L), PetsTable.storedTick(partition)) + 1;
        ticks.put(partition, number);
        return new PartitionTick(partition, partitions(), number, at, RULE);
    }

    /** The newest tick of the partition published or stored: the tick at which a pet's event there holds now. */
    public static synchronized long clock(int partition) {
        return Math.max(ticks.getOrDefault(partition, 0L), PetsTable.storedTick(partition));
    }

    /** The tick at which an event of this pet holds now. */
    public static long clockOf(long petId) {
        return clock(partitionOf(petId));
    }

    /**
     * These records in one partition, in one transaction with one event time: a read_committed reader sees all of them
     * at once, as a viewer sees the backlog that piled up while it stalled.
     */
    public static void publishAtOnce(int partition, List<Map.Entry<byte[], byte[]>> records, long timestamp) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "livepet-test-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (Map.Entry<byte[], byte[]> record : records) {
                producer.send(new ProducerRecord<>(Topics.PET_STATE, partition, timestamp, record.getKey(),
                        record.getValue()));
            }
            producer.commitTransaction();
        }
    }

    /** A producer of pet-state records as bytes, for a test that sends many. */
    public static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, 5));
    }

    private static void send(ProducerRecord<byte[], byte[]> record) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to pet-state", e);
        }
    }
}
