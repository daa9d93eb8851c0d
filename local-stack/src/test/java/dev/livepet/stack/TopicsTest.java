package dev.livepet.stack;

import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./livepet topics}: tailing pet-state (events and ticks as they are, a pet's derived states) and the owners. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopicsTest {
    static final int PARTITIONS = 4;
    static final long REX = 42, FIDO = 43, NEMO = 77;
    static final TickRule RULE = new TickRule(1, 5, 500);
    static final long AT = 1_700_000_000_000L;
    static final List<String> WRITTEN = new ArrayList<>(); // every pet-state value, as written

    @TempDir
    static Path dir;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir, PARTITIONS));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long pet : List.of(REX, FIDO, NEMO)) {
                event(producer, new PetState(pet, "player-1", "Pet " + pet, Species.SEA_TURTLE, 0, 250, true, 1,
                        Cause.ADOPTED, 0, AT, "adopt-" + pet));
            }
            ticks(producer, 1);
            ticks(producer, 2);
            // Rex fed at tick 2: aged 2, hungered to 260, a meal takes 100
            event(producer, new PetState(REX, "player-1", "Pet " + REX, Species.SEA_TURTLE, 2, 160, true, 2,
                    Cause.FED, 2, AT + 11_000, "c-9"));
            ticks(producer, 3);
            producer.send(new ProducerRecord<>(Topics.PET_STATE, 0, bytes("oops"), bytes("{}")));
            WRITTEN.add("{}");
            producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetStateCodec.key(REX),
                    PetJson.write(new FeedCommand("c-1", REX, Food.MEAL, "player-1")))).get();
        }
    }

    private static void event(KafkaProducer<byte[], byte[]> producer, PetState event) {
        producer.send(new ProducerRecord<>(Topics.PET_STATE, PetStateCodec.key(event.id()), PetStateCodec.write(event)));
        WRITTEN.add(PetStateCodec.writeString(event));
    }

    private static void ticks(KafkaProducer<byte[], byte[]> producer, long tick) {
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionTick t = new PartitionTick(p, PARTITIONS, tick, AT + 5_000 * tick, RULE);
            producer.send(new ProducerRecord<>(Topics.PET_STATE, p, PetStateCodec.tickKey(p), PetStateCodec.write(t)));
            WRITTEN.add(PetStateCodec.writeString(t));
        }
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    @Order(1)
    void aPetsEventsShowAsTheyAreAndAtEachTickOfItsPartitionItsDerivedState() {
        int rexPartition = PetPartitioner.partitionOf(REX, PARTITIONS);
        String out = tail(new TopicTail(stack.kafkaBootstrapServers(), Topics.PET_STATE, REX, false),
                new TopicTail.Start(true, 0), 5);

        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).contains("key 42 ", WRITTEN.get(0)).doesNotContain("derived");
        assertThat(lines.get(1)).contains("key tick-" + rexPartition + " ", "derived",
                "\"age\":1,\"hunger\":255,\"alive\":true,\"version\":1,\"cause\":\"tick\",\"tick\":1,\"at\":" + (AT + 5_000),
                "(derived from v1 at tick 0");
        assertThat(lines.get(2)).contains("derived", "\"age\":2,\"hunger\":260", "\"tick\":2");
        assertThat(lines.get(3)).contains("key 42 ", "\"cause\":\"fed\"", "\"command\":\"c-9\"").doesNotContain("derived");
        assertThat(lines.get(4)).contains("derived", "\"age\":3,\"hunger\":165,\"alive\":true,\"version\":2",
                "\"tick\":3", "(derived from v2 at tick 2");
        assertThat(out).doesNotContain("\"id\":43", "\"id\":77", "oops");
    }

    @Test
    @Order(1)
    void withoutAPetEveryEventAndTickRecordShowsAsItIsAndAnUnreadableOneSaysWhy() {
        String out = tail(new TopicTail(stack.kafkaBootstrapServers(), Topics.PET_STATE, null, false),
                new TopicTail.Start(true, 0), WRITTEN.size());

        List<String> lines = out.lines().toList();
        // each line ends with the record's value as it is on the topic
        assertThat(lines).hasSize(WRITTEN.size()).noneMatch(l -> l.contains("derived"));
        assertThat(lines.stream().map(l -> l.substring(l.indexOf("  ") + 2).replaceAll("  \\[unreadable.*", "")))
                .containsExactlyInAnyOrderElementsOf(WRITTEN);
        assertThat(lines).filteredOn(l -> l.contains("key tick-")).hasSize(3 * PARTITIONS)
                .allSatisfy(l -> assertThat(l).contains("\"partitions\":4,\"tick\":", "\"agePerTick\":1"));
        assertThat(lines).filteredOn(l -> l.contains("key oops")).singleElement().asString()
                .contains("[unreadable: the key 'oops' is neither a pet id nor tick-<partition>]");
    }

    @Test
    @Order(1)
    void lastNIsThePetsLastLinesAndJsonIsIndented() {
        String lastTwoOfRex = tail(new TopicTail(stack.kafkaBootstrapServers(), Topics.PET_STATE, REX, false),
                new TopicTail.Start(false, 2), 2);
        List<String> lines = lastTwoOfRex.lines().toList();
        assertThat(lines.get(0)).contains("\"cause\":\"fed\"").doesNotContain("derived");
        assertThat(lines.get(1)).contains("derived", "\"tick\":3");

        String nemo = tail(new TopicTail(stack.kafkaBootstrapServers(), Topics.PET_STATE, NEMO, true),
                new TopicTail.Start(false, 1), 1);
        assertThat(nemo).contains("(derived from v1 at tick 0", "\"cause\" : \"tick\"", "\"age\" : 3",
                "\"hunger\" : 265", "\"version\" : 1");

        String command = tail(new TopicTail(stack.kafkaBootstrapServers(), Topics.PET_COMMANDS, null, false),
                new TopicTail.Start(true, 0), 1);
        assertThat(command).contains("feed", "pet 42 a meal from player-1, command c-1");
    }

    @Test
    @Order(2) // it writes more ticks, which the tests above do not expect
    void fromNowOnAPetsNextTickShowsItsStateDerivedFromTheLastEventBeforeTheTailBegan() throws Exception {
        int rexPartition = PetPartitioner.partitionOf(REX, PARTITIONS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long deadline = System.currentTimeMillis() + 30_000;
        CompletableFuture<Long> printed = CompletableFuture.supplyAsync(() -> new TopicTail(stack.kafkaBootstrapServers(),
                Topics.PET_STATE, REX, false).run(TopicTail.Start.END, 1, new PrintStream(out, true, StandardCharsets.UTF_8),
                () -> System.currentTimeMillis() > deadline));
        // the tail first reads Rex's partition up to its end as it is then; ticks written until it prints one come after
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long tick = 4; !printed.isDone() && System.currentTimeMillis() < deadline; tick++) {
                PartitionTick t = new PartitionTick(rexPartition, PARTITIONS, tick, AT + 5_000 * tick, RULE);
                producer.send(new ProducerRecord<>(Topics.PET_STATE, rexPartition, PetStateCodec.tickKey(rexPartition),
                        PetStateCodec.write(t))).get();
                try {
                    printed.get(500, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // not shown: the tail was still catching up when this tick was written; another one follows
                }
            }
        }
        assertThat(printed.get()).isEqualTo(1);
        String line = out.toString(StandardCharsets.UTF_8).strip();
        Matcher tick = Pattern.compile("\"cause\":\"tick\",\"tick\":(\\d+)").matcher(line);
        assertThat(tick.find()).as(line).isTrue();
        long at = Long.parseLong(tick.group(1));
        assertThat(at).isGreaterThanOrEqualTo(4);
        // Rex's fed event held at tick 2 with age 2 and hunger 160; the rule adds 1 and 5 a tick
        assertThat(line).contains("key tick-" + rexPartition + " ", "derived", "(derived from v2 at tick 2",
                "\"age\":" + (2 + (at - 2)) + ",\"hunger\":" + (160 + 5 * (at - 2)) + ",\"alive\":true,\"version\":2");
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
