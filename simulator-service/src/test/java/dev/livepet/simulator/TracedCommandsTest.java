package dev.livepet.simulator;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import dev.livepet.contract.TraceHeaders;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A command that carries a trace context (the viewer's request) makes an event that carries the same trace, with the
 * span of applying it as parent; a command without one, and every tick, carries none.
 */
@QuarkusTest
@WithTestResource(PreloadedWorld.class)
class TracedCommandsTest {
    @Inject
    Simulator simulator;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void theEventOfATracedCommandContinuesItsTraceAndNothingElseIsTraced() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        long pet = ThreadLocalRandom.current().nextLong(1_000_000_000L, 8_000_000_000L);
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String requestSpan = HexFormat.of().formatHex(randomBytes(8));
        AdoptCommand adopt = new AdoptCommand("adopt-" + UUID.randomUUID(), pet, "alice", "Traced", Species.CAT);
        FeedCommand meal = new FeedCommand("meal-" + UUID.randomUUID(), pet, Food.MEAL, "alice");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] key = PetPartitioner.key(pet).getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, null, key, PetJson.write(adopt))).get();
            RecordHeaders headers = new RecordHeaders();
            headers.add(TraceHeaders.TRACEPARENT,
                    ("00-" + traceId + "-" + requestSpan + "-01").getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, null, key, PetJson.write(meal), headers)).get();
        }

        List<ConsumerRecord<byte[], byte[]>> records = readUntilCommand(pet, meal.commandId());
        ConsumerRecord<byte[], byte[]> adopted = eventOf(records, adopt.commandId());
        ConsumerRecord<byte[], byte[]> fed = eventOf(records, meal.commandId());

        assertThat(TraceHeaders.traced(adopted.headers())).as("a command without a context makes an untraced event").isFalse();
        assertThat(TraceHeaders.traceId(fed.headers())).as("the meal's event continues the request's trace").isEqualTo(traceId);
        String parent = TraceHeaders.GETTER.get(fed.headers(), TraceHeaders.TRACEPARENT);
        assertThat(parent).as("its parent is the simulator's span of applying the command, not the request's")
                .doesNotContain(requestSpan).matches("00-" + traceId + "-[0-9a-f]{16}-01");
        assertThat(records).as("no tick carries a trace context")
                .filteredOn(r -> PetStateCodec.isTickKey(r.key()))
                .allSatisfy(r -> assertThat(TraceHeaders.traced(r.headers())).isFalse());
    }

    private int partitions;

    private List<ConsumerRecord<byte[], byte[]>> readUntilCommand(long pet, String commandId) {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            partitions = consumer.partitionsFor(Topics.PET_STATE).size();
            TopicPartition tp = new TopicPartition(Topics.PET_STATE, PetPartitioner.partitionOf(pet, partitions));
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(record);
                    if (commandId.equals(command(record, tp.partition(), partitions))) {
                        return seen;
                    }
                }
            }
        }
        throw new AssertionError("no event of command " + commandId + " in " + seen.size() + " records");
    }

    private ConsumerRecord<byte[], byte[]> eventOf(List<ConsumerRecord<byte[], byte[]>> records, String commandId) {
        return records.stream().filter(r -> commandId.equals(command(r, r.partition(), partitions)))
                .findFirst().orElseThrow(() -> new AssertionError("no event of command " + commandId));
    }

    private static String command(ConsumerRecord<byte[], byte[]> record, int partition, int partitions) {
        try {
            PetStateRecord read = PetStateCodec.read(record.key(), record.value(), partition, partitions);
            return read instanceof PetState event ? event.command() : null;
        } catch (RuntimeException poison) {
            return null;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] |= 1; // never all zeros: an invalid id
        return bytes;
    }
}
