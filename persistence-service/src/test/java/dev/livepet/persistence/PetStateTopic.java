package dev.livepet.persistence;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStackTestResource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The test stack's pet-state topic seen from outside the service: raw Kafka clients writing through the contract's
 * codec, as the simulator would.
 */
final class PetStateTopic implements AutoCloseable {
    static final String GROUP = "livepet-persistence";

    private final String bootstrap = LocalStackTestResource.stack().kafkaBootstrapServers();
    private final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    private KafkaProducer<byte[], byte[]> transactional; // made on first use
    private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));

    RecordMetadata send(PetStateRecord record) {
        return get(producer.send(record(record)));
    }

    /** Sends exactly these bytes to one partition, whatever the key (which may be null). */
    RecordMetadata send(int partition, byte[] key, byte[] value) {
        return get(producer.send(new ProducerRecord<>(Topics.PET_STATE, partition, key, value)));
    }

    RecordMetadata send(int partition, String key, byte[] value) {
        return send(partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    int partitions() {
        return producer.partitionsFor(Topics.PET_STATE).size();
    }

    void sendAll(List<? extends PetStateRecord> records) {
        records.forEach(r -> producer.send(record(r)));
        producer.flush();
    }

    /** Sends the records in one Kafka transaction, as the simulator publishes a step. */
    void sendInOneTransaction(List<? extends PetStateRecord> records) {
        if (transactional == null) {
            transactional = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "persistence-test-" + UUID.randomUUID()),
                    new ByteArraySerializer(), new ByteArraySerializer());
            transactional.initTransactions();
        }
        transactional.beginTransaction();
        records.forEach(r -> transactional.send(record(r)));
        transactional.commitTransaction();
    }

    /** A pet's event keyed by its id, a tick keyed tick-&lt;partition&gt; into its partition: what the codec says. */
    private static ProducerRecord<byte[], byte[]> record(PetStateRecord record) {
        if (record instanceof PetState event) {
            return new ProducerRecord<>(Topics.PET_STATE, PetStateCodec.key(event.id()), PetStateCodec.write(event));
        }
        PartitionTick tick = (PartitionTick) record;
        return new ProducerRecord<>(Topics.PET_STATE, tick.partition(), PetStateCodec.tickKey(tick.partition()),
                PetStateCodec.write(tick));
    }

    private static RecordMetadata get(java.util.concurrent.Future<RecordMetadata> sent) {
        try {
            return sent.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to pet-state", e);
        }
    }

    /** The offset the persistence group has committed for a partition, -1 if none. */
    long committed(int partition) {
        OffsetAndMetadata offset = committedOffsets().get(new TopicPartition(Topics.PET_STATE, partition));
        return offset == null ? -1 : offset.offset();
    }

    /** Whether the persistence group has committed every pet-state partition up to its end. */
    boolean groupIsAtTheEnd() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets();
            var ends = admin.listOffsets(everyPartition(OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                    || (committed.get(end.getKey()) != null
                    && committed.get(end.getKey()).offset() == end.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the group's offsets", e);
        }
    }

    /** The read_committed end offset of every partition: where a reader that starts now begins. */
    Map<TopicPartition, Long> ends() {
        try {
            return admin.listOffsets(everyPartition(OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the end offsets", e);
        }
    }

    private Map<TopicPartition, OffsetSpec> everyPartition(OffsetSpec spec) throws Exception {
        return admin.describeTopics(List.of(Topics.PET_STATE)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(Topics.PET_STATE).partitions().stream()
                .map(p -> new TopicPartition(Topics.PET_STATE, p.partition()))
                .collect(Collectors.toMap(tp -> tp, tp -> spec));
    }

    private Map<TopicPartition, OffsetAndMetadata> committedOffsets() {
        try {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the group's offsets", e);
        }
    }

    /** The dead letter with this key, if pet-state.dlq holds one. */
    Optional<ConsumerRecord<String, byte[]>> deadLetter(String key) {
        return deadLetters().stream().filter(r -> key.equals(r.key())).findFirst();
    }

    /** Every record of pet-state.dlq so far. */
    List<ConsumerRecord<String, byte[]>> deadLetters() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition dlq = new TopicPartition(Topics.deadLetters(Topics.PET_STATE), 0);
            consumer.assign(List.of(dlq));
            consumer.seekToBeginning(List.of(dlq));
            long end = consumer.endOffsets(List.of(dlq)).get(dlq);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            while (consumer.position(dlq) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(found::add);
            }
            return found;
        }
    }

    @Override
    public void close() {
        producer.close();
        if (transactional != null) {
            transactional.close();
        }
        admin.close();
    }
}
