package dev.livepet.viewer;

import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;
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
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Raw Kafka clients on the test stack: what the viewer sent, and states as the simulator would publish them. */
public final class PetTopics {
    private PetTopics() {
    }

    /** A command the viewer sent, with where it landed. */
    public record Sent(String key, int partition, PetCommand command) {
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
                    sent.add(new Sent(r.key(), r.partition(), PetJson.command(r.value())));
                }
            }
            return sent;
        }
    }

    public static void publish(PetState state) {
        publish(state.key(), PetJson.writeString(state));
    }

    public static void publish(String key, String value) {
        publish(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Exactly these bytes under this key (null is a tombstone), where the key's pet lives. */
    public static void publish(String key, byte[] value) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(Topics.PET_STATE, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to pet-state", e);
        }
    }

    /**
     * These values under one key, in one transaction with one event time: a read_committed reader sees all of them at
     * once, as a viewer sees the backlog that piled up while it stalled.
     */
    public static void publishAtOnce(String key, List<String> values, long timestamp) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "livepet-test-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String value : values) {
                producer.send(new ProducerRecord<>(Topics.PET_STATE, null, timestamp, key,
                        value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.commitTransaction();
        }
    }
}
