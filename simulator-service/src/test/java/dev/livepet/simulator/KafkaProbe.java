package dev.livepet.simulator;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Raw Kafka clients for tests: sends commands as a player would, reads committed records as every reader does. */
public final class KafkaProbe implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final String bootstrap;
    private final KafkaProducer<byte[], byte[]> producer;
    private final int partitions;

    /** A committed record of pet-state as read: where it lies, and the event or tick it holds (null when poison). */
    public record Read(long offset, byte[] key, PetStateRecord record) {
        public boolean isTick() {
            return record instanceof PartitionTick;
        }

        /** The event with a command id, null for anything else. */
        public PetState commandEvent() {
            return record instanceof PetState event && event.command() != null ? event : null;
        }
    }

    public KafkaProbe(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.partitions = producer.partitionsFor(Topics.PET_STATE).size();
    }

    public int partitions() {
        return partitions;
    }

    public static byte[] key(long petId) {
        return PetPartitioner.key(petId).getBytes(StandardCharsets.UTF_8);
    }

    public int partitionOf(long petId) {
        return PetPartitioner.partitionOf(petId, partitions);
    }

    public void send(PetCommand command) {
        send(Topics.PET_COMMANDS, key(command.petId()), PetJson.write(command));
    }

    /** Sends exactly these bytes; the default partitioner puts a keyed record where the pet lives. */
    public void send(String topic, byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** Sends exactly these bytes to one partition, whatever the key (which may be null); returns the offset. */
    public long send(String topic, int partition, byte[] key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, partition, key, value)).get().offset();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /**
     * The committed events of one pet in offset order, read until {@code enough} holds for them; records under its key
     * that are not its events (poison a test wrote there) are passed over.
     */
    public List<PetState> events(long petId, Predicate<List<PetState>> enough) {
        byte[] key = key(petId);
        List<PetState> events = new ArrayList<>();
        read(new TopicPartition(Topics.PET_STATE, partitionOf(petId)), record -> {
            if (Arrays.equals(record.key(), key) && record.record() instanceof PetState event) {
                events.add(event);
            }
            return enough.test(events);
        }, () -> "events of pet " + petId + ": " + events);
        return events;
    }

    /** The committed ticks of one partition in offset order, read until {@code enough} holds for them. */
    public List<PartitionTick> ticks(int partition, Predicate<List<PartitionTick>> enough) {
        List<PartitionTick> ticks = new ArrayList<>();
        read(new TopicPartition(Topics.PET_STATE, partition), record -> {
            if (record.record() instanceof PartitionTick tick) {
                ticks.add(tick);
            }
            return enough.test(ticks);
        }, () -> "ticks of partition " + partition + ": " + ticks);
        return ticks;
    }

    /**
     * The committed ticks of one partition written so far, in offset order: read up to its high watermark, so a
     * transaction whose commit markers are still on their way is waited for instead of missed.
     */
    public List<PartitionTick> ticksSoFar(int partition) {
        TopicPartition tp = new TopicPartition(Topics.PET_STATE, partition);
        List<PartitionTick> ticks = new ArrayList<>();
        long end;
        try (KafkaConsumer<byte[], byte[]> uncommitted = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            end = uncommitted.endOffsets(List.of(tp)).get(tp);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (consumer.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("gave up reading " + tp + " to its end " + end);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        if (PetStateCodec.read(record.key(), record.value(), partition, partitions) instanceof PartitionTick tick) {
                            ticks.add(tick);
                        }
                    } catch (PoisonRecordException poison) {
                        // poison a test put there, e.g. another partition's tick
                    }
                }
            }
        }
        return ticks;
    }

    /** Every committed record of one partition of pet-state in offset order, read until {@code enough} holds. */
    public List<Read> records(int partition, Predicate<List<Read>> enough) {
        List<Read> records = new ArrayList<>();
        read(new TopicPartition(Topics.PET_STATE, partition), record -> {
            records.add(record);
            return enough.test(records);
        }, () -> records.size() + " records of partition " + partition);
        return records;
    }

    private void read(TopicPartition tp, Predicate<Read> done, Supplier<String> seen) {
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    PetStateRecord read;
                    try {
                        read = PetStateCodec.read(record.key(), record.value(), tp.partition(), partitions);
                    } catch (PoisonRecordException poison) {
                        read = null; // poison a test put there
                    }
                    if (done.test(new Read(record.offset(), record.key(), read))) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("gave up waiting on " + tp + " after " + PATIENCE + "; saw " + seen.get());
    }

    /** The dead letters read until {@code enough} holds for them. */
    public List<ConsumerRecord<byte[], byte[]>> deadLetters(Predicate<List<ConsumerRecord<byte[], byte[]>>> enough) {
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        TopicPartition tp = new TopicPartition(Topics.deadLetters(Topics.PET_COMMANDS), 0);
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    letters.add(record);
                    if (enough.test(letters)) {
                        return letters;
                    }
                }
            }
        }
        throw new AssertionError("gave up waiting on " + tp + " after " + PATIENCE + "; saw " + letters.size() + " dead letters");
    }

    /** The end offsets (committed or not) of every partition of {@code topic}. */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            List<TopicPartition> all = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(all);
        }
    }

    private KafkaConsumer<byte[], byte[]> reader() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A producer that writes in transactions of its own, as another simulator instance would. */
    public KafkaProducer<byte[], byte[]> transactionalProducer() {
        KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-writer-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer());
        tx.initTransactions();
        return tx;
    }

    /** Whether a member of {@code group} has been given partitions. */
    public boolean groupHasAssignment(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return description.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
