package dev.livepet.stack;

import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./livepet topics}: tailing one pet's records and the partition owners with their lag, on a real broker. */
class TopicsTest {
    static final int PARTITIONS = 4;
    static final long REX = 42, FIDO = 43, NEMO = 77;

    @TempDir
    static Path dir;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir, PARTITIONS));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int version = 1; version <= 3; version++) {
                for (long pet : List.of(REX, FIDO, NEMO)) {
                    PetState s = new PetState(pet, "player-1", "Pet " + pet, Species.SEA_TURTLE, version, 250 + 5 * version,
                            true, version, version == 1 ? Cause.ADOPTED : Cause.TICK, 1_700_000_000_000L, null);
                    producer.send(new ProducerRecord<>(Topics.PET_STATE, PetPartitioner.key(pet), PetJson.write(s)));
                }
            }
            producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetPartitioner.key(REX),
                    PetJson.write(new FeedCommand("c-1", REX, Food.MEAL, "player-1")))).get();
        }
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void tailsOnlyTheAskedPetInOrderAsOneLineEach() {
        String out = tail(new TopicTail(stack.kafkaBootstrapServers(), Topics.PET_STATE, REX, false),
                new TopicTail.Start(true, 0), 3);

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).contains("key 42", "pet 42 \"Pet 42\" sea-turtle"));
        assertThat(lines.get(0)).contains("adopted", "v1 ", "age 1, hunger 255, alive, owner player-1");
        assertThat(lines.get(2)).contains("tick", "v3 ", "age 3, hunger 265");
        assertThat(out).doesNotContain("pet 43", "pet 77");
    }

    @Test
    void lastNIsThePetsLastStatesAndJsonIsIndented() {
        String out = tail(new TopicTail(stack.kafkaBootstrapServers(), Topics.PET_STATE, NEMO, true),
                new TopicTail.Start(false, 1), 1);

        assertThat(out).contains("\"version\" : 3", "\"cause\" : \"tick\"").doesNotContain("\"version\" : 1");
        String lastTwoOfRex = tail(new TopicTail(stack.kafkaBootstrapServers(), Topics.PET_STATE, REX, false),
                new TopicTail.Start(false, 2), 2);
        assertThat(lastTwoOfRex.lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("pet 42 "));
        assertThat(lastTwoOfRex.lines().toList().get(0)).contains("v2 ");
        assertThat(lastTwoOfRex.lines().toList().get(1)).contains("v3 ");
        String command = tail(new TopicTail(stack.kafkaBootstrapServers(), Topics.PET_COMMANDS, null, false),
                new TopicTail.Start(true, 0), 1);
        assertThat(command).contains("feed", "pet 42 a meal from player-1, command c-1");
    }

    @Test
    void ownersNameEachGroupsMemberPerPartitionWithItsLag() throws Exception {
        String group = "livepet-topics-test";
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "livepet-simulator-a",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PET_STATE));
            long deadline = System.currentTimeMillis() + 30_000;
            while (consumer.assignment().size() < PARTITIONS && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            // Rex's partition is committed one record short of its end: lag 1; the others are fully committed
            TopicPartition rex = new TopicPartition(Topics.PET_STATE, PetPartitioner.partitionOf(REX, PARTITIONS));
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            Map<TopicPartition, OffsetAndMetadata> commits = new java.util.HashMap<>();
            ends.forEach((tp, end) -> commits.put(tp, new OffsetAndMetadata(tp.equals(rex) ? end - 1 : end)));
            consumer.commitSync(commits);

            List<PartitionOwners.Row> rows = new PartitionOwners(stack.kafkaBootstrapServers()).rows(group);

            assertThat(rows).hasSize(PARTITIONS)
                    .allSatisfy(r -> assertThat(r.owner()).startsWith("livepet-simulator-a "));
            assertThat(rows).filteredOn(r -> r.partition().equals(rex)).singleElement()
                    .satisfies(r -> assertThat(r.lag()).isEqualTo(1));
            assertThat(rows.stream().mapToLong(PartitionOwners.Row::lag).sum()).isEqualTo(1);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PartitionOwners.print(rows, new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("group livepet-topics-test: lag 1 records", "livepet-simulator-a", "4 partitions");
        }
    }

    private static String tail(TopicTail tail, TopicTail.Start start, long max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long deadline = System.currentTimeMillis() + 30_000;
        long printed = tail.run(start, max, new PrintStream(out, true, StandardCharsets.UTF_8),
                () -> System.currentTimeMillis() > deadline);
        assertThat(printed).isEqualTo(max);
        return out.toString(StandardCharsets.UTF_8);
    }
}
