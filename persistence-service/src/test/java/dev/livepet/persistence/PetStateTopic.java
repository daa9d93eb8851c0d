package dev.livepet.persistence;

import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
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
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The test stack's pet-state topic seen from outside the service: raw Kafka clients, as the simulator would. */
final class PetStateTopic implements AutoCloseable {
    static final String GROUP = "livepet-persistence";

    private final String bootstrap = LocalStackTestResource.stack().kafkaBootstrapServers();
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));

    RecordMetadata send(PetState state) {
        return send(state.key(), PetJson.write(state));
    }

    RecordMetadata send(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.PET_STATE, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to pet-state", e);
        }
    }

    /** Sends exactly these bytes to one partition, whatever the key (which may be null). */
    RecordMetadata send(int partition, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.PET_STATE, partition, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to pet-state", e);
        }
    }

    int partitions() {
        return producer.partitionsFor(Topics.PET_STATE).size();
    }

    void sendAll(List<PetState> states) {
        states.forEach(s -> producer.send(new ProducerRecord<>(Topics.PET_STATE, s.key(), PetJson.write(s))));
        producer.flush();
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
            var partitions = admin.describeTopics(List.of(Topics.PET_STATE)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.PET_STATE).partitions().stream()
                    .map(p -> new TopicPartition(Topics.PET_STATE, p.partition()))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            var ends = admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get(30, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                    || (committed.get(end.getKey()) != null
                    && committed.get(end.getKey()).offset() == end.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the group's offsets", e);
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committedOffsets() {
        try {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the group's offsets", e);
        }
    }

    /**
     * The keys a restarted instance of the group would read first from a partition: from the group's committed
     * offset (the beginning if none) to the partition's end.
     */
    List<String> keysFromTheCommittedOffset(int partition) {
        TopicPartition tp = new TopicPartition(Topics.PET_STATE, partition);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            long committed = committed(partition);
            if (committed < 0) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, committed);
            }
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> keys = new ArrayList<>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
            }
            return keys;
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
        admin.close();
    }
}
