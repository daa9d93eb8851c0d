package dev.livepet.simulator;

import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
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
final class KafkaProbe implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final String bootstrap;
    private final KafkaProducer<byte[], byte[]> producer;
    private final int partitions;

    KafkaProbe(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.partitions = producer.partitionsFor(Topics.PET_STATE).size();
    }

    int partitions() {
        return partitions;
    }

    static byte[] key(long petId) {
        return PetPartitioner.key(petId).getBytes(StandardCharsets.UTF_8);
    }

    void send(PetCommand command) {
        send(Topics.PET_COMMANDS, key(command.petId()), PetJson.write(command));
    }

    /** Sends exactly these bytes; the default partitioner puts a keyed record where the pet lives. */
    void send(String topic, byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** Sends exactly these bytes to one partition, whatever the key (which may be null); returns the offset. */
    long send(String topic, int partition, byte[] key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, partition, key, value)).get().offset();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /**
     * The committed states of one pet in offset order, read until {@code enough} holds for them; records under its key
     * that are not its states (poison a test wrote there) are passed over.
     */
    List<PetState> states(long petId, Predicate<List<PetState>> enough) {
        int partition = PetPartitioner.partitionOf(petId, partitions);
        byte[] key = key(petId);
        List<PetState> states = new ArrayList<>();
        read(new TopicPartition(Topics.PET_STATE, partition), record -> {
            if (Arrays.equals(record.key(), key)) {
                try {
                    PetState state = PetJson.state(record.value());
                    if (state.id() == petId) {
                        states.add(state);
                    }
                } catch (PoisonRecordException notAState) {
                    // poison a test put under this pet's key: not one of its states
                }
            }
            return enough.test(states);
        }, () -> "states of pet " + petId + ": " + states);
        return states;
    }

    /** The dead letters read until {@code enough} holds for them. */
    List<ConsumerRecord<byte[], byte[]>> deadLetters(Predicate<List<ConsumerRecord<byte[], byte[]>>> enough) {
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        read(new TopicPartition(Topics.deadLetters(Topics.PET_COMMANDS), 0), record -> {
            letters.add(record);
            return enough.test(letters);
        }, () -> letters.size() + " dead letters");
        return letters;
    }

    private void read(TopicPartition tp, Predicate<ConsumerRecord<byte[], byte[]>> done,
                      Supplier<String> seen) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (done.test(record)) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("gave up waiting on " + tp + " after " + PATIENCE + "; saw " + seen.get());
    }

    /** A producer that writes in transactions of its own, as another simulator instance would. */
    KafkaProducer<byte[], byte[]> transactionalProducer() {
        KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-writer-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer());
        tx.initTransactions();
        return tx;
    }

    /** Whether a member of {@code group} has been given partitions. */
    boolean groupHasAssignment(String group) {
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
