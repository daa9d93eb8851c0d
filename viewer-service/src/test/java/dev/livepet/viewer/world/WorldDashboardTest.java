package dev.livepet.viewer.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The world dashboard's figures against the real broker and database, and the page in Chromium. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class WorldDashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    private final List<JsonNode> samples = new CopyOnWriteArrayList<>();
    private WebSocketClientConnection dashboard;

    @BeforeEach
    void openTheLiveFeed() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        dashboard = BasicWebSocketConnector.create().baseUri(base).path("/world/live")
                .onTextMessage((c, json) -> {
                    try {
                        samples.add(JSON.readTree(json));
                    } catch (Exception e) {
                        throw new IllegalStateException(json, e);
                    }
                })
                .connectAndAwait();
    }

    @AfterEach
    void closeTheLiveFeed() {
        dashboard.closeAndAwait();
    }

    @Test
    void birthsDeathsEventsAndTicksAreCountedFromTheStream() {
        long since = System.currentTimeMillis();
        for (int i = 0; i < 7; i++) {
            PetTopics.publish(state(PetsTable.freshId(), 1, Cause.ADOPTED, since, true));
        }
        for (int i = 0; i < 3; i++) {
            PetTopics.publish(state(PetsTable.freshId(), 9, Cause.DIED, since, false));
        }
        for (int i = 0; i < 5; i++) {
            PetTopics.publish(state(PetsTable.freshId(), 4, Cause.FED, since, true));
        }
        for (int partition = 0; partition < 4; partition++) {
            PetTopics.tick(partition);
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(sum(since, s -> s.get("births").asLong())).isEqualTo(7);
            assertThat(sum(since, s -> s.get("deaths").asLong())).isEqualTo(3);
            assertThat(sum(since, s -> s.get("events").asLong())).isEqualTo(15);
            assertThat(sum(since, s -> s.get("ticks").asLong())).isEqualTo(4);
        });
        JsonNode withBirths = after(since).stream().filter(s -> s.get("births").asLong() > 0).findFirst().orElseThrow();
        assertThat(withBirths.get("birthsPerMinute").asDouble())
                .isCloseTo(withBirths.get("births").asLong() * 60 / withBirths.get("seconds").asDouble(),
                        within(0.01));
        JsonNode withTicks = after(since).stream().filter(s -> s.get("ticks").asLong() > 0).findFirst().orElseThrow();
        assertThat(withTicks.get("ticksPerSecond").asDouble())
                .isCloseTo(withTicks.get("ticks").asLong() / withTicks.get("seconds").asDouble(), within(0.01));
        assertThat(withTicks.get("eventsPerSecond").asDouble())
                .isCloseTo(withTicks.get("events").asLong() / withTicks.get("seconds").asDouble(), within(0.01));
    }

    @Test
    void aliveAndDeadTotalsComeFromTheReadModelWithoutItsClocks() {
        // neither count needs a partition's clock: PostgreSQL drops the view's join, and a partial index answers it
        // (the test table is small enough for a sequential scan to be cheaper, so that is ruled out to see the plan;
        // whether the scan is index-only depends on how lately the table was vacuumed)
        for (String count : List.of("SELECT count(*) FROM pets_now WHERE alive",
                "SELECT count(*) FROM pets_now WHERE NOT alive")) {
            assertThat(String.join("\n", PetsTable.query(List.of("SET enable_seqscan = off"), "EXPLAIN " + count)))
                    .as(count).doesNotContain("partition_clocks")
                    .containsPattern("(Index Only Scan using|Index Scan using|Bitmap Index Scan on) pets_(alive_born|died)");
        }
        await().atMost(PATIENCE).until(this::latest, s -> s != null && !s.get("alive").isNull());
        long inserted = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            PetsTable.insert(PetsTable.freshId(), "totals", "Alive " + i, Species.FOX, 1, 100, true, 1);
        }
        for (int i = 0; i < 2; i++) {
            PetsTable.insert(PetsTable.freshId(), "totals", "Dead " + i, Species.FOX, 10001, 500, false, 9);
        }
        // other test classes share the table: compare with what it holds now, which includes these five
        long alive = PetsTable.count(true);
        long dead = PetsTable.count(false);
        assertThat(alive).isGreaterThanOrEqualTo(3);
        assertThat(dead).isGreaterThanOrEqualTo(2);
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode now = latest();
            assertThat(now.get("at").asLong()).isGreaterThan(inserted);
            assertThat(now.get("alive").asLong()).isEqualTo(alive);
            assertThat(now.get("dead").asLong()).isEqualTo(dead);
        });
    }

    @Test
    void partitionOwnersNameTheSimulatorInstancesThatHoldThem() {
        // two members of the simulator group as simulator instances "sim-a" and "sim-b" join it (KafkaClients)
        try (KafkaConsumer<String, String> a = simulator("sim-a"); KafkaConsumer<String, String> b = simulator("sim-b")) {
            a.subscribe(List.of(Topics.PET_COMMANDS));
            b.subscribe(List.of(Topics.PET_COMMANDS));
            int partitions = a.partitionsFor(Topics.PET_COMMANDS).size();
            await().atMost(PATIENCE).until(() -> {
                a.poll(Duration.ofMillis(100));
                b.poll(Duration.ofMillis(100));
                return !a.assignment().isEmpty() && !b.assignment().isEmpty()
                        && a.assignment().size() + b.assignment().size() == partitions;
            });
            List<Integer> ofA = a.assignment().stream().map(TopicPartition::partition).sorted().toList();
            long settled = System.currentTimeMillis();
            await().atMost(PATIENCE).untilAsserted(() -> {
                JsonNode now = latest();
                assertThat(now.get("at").asLong()).isGreaterThan(settled);
                JsonNode owners = now.get("owners");
                assertThat(owners).hasSize(2);
                assertThat(owners.get(0).get("instance").asText()).isEqualTo("sim-a");
                assertThat(owners.get(1).get("instance").asText()).isEqualTo("sim-b");
                assertThat(owners.get(0).has("host")).as("no member's address on a page anyone may open").isFalse();
                assertThat(partitionsOf(owners.get(0))).containsExactlyElementsOf(ofA);
                List<Integer> all = new ArrayList<>(partitionsOf(owners.get(0)));
                all.addAll(partitionsOf(owners.get(1)));
                assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, partitions).boxed().toList());
            });
        }
    }

    private static KafkaConsumer<String, String> simulator(String instance) {
        return consumer("livepet-simulator", Map.of(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "livepet-simulator-" + instance,
                ConsumerConfig.CLIENT_ID_CONFIG, "livepet-simulator-" + instance));
    }

    private static List<Integer> partitionsOf(JsonNode owner) {
        List<Integer> owned = new ArrayList<>();
        owner.get("partitions").forEach(p -> owned.add(p.asInt()));
        return owned;
    }

    @Test
    void persistenceLagIsWhatItsGroupHasNotCommittedAndTheViewerKeepsUp() {
        try (KafkaConsumer<String, String> persistence = consumer("livepet-persistence",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<TopicPartition> partitions = persistence.partitionsFor(Topics.PET_STATE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            // the persistence service has written everything so far
            Map<TopicPartition, OffsetAndMetadata> everything = new HashMap<>();
            persistence.endOffsets(partitions).forEach((p, end) -> everything.put(p, new OffsetAndMetadata(end)));
            persistence.commitSync(everything);
        }
        long since = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = PetTopics.producer()) {
            for (int i = 0; i < 4; i++) {
                PetState pet = state(PetsTable.freshId(), 3, Cause.FED, since, true);
                producer.send(new ProducerRecord<>(Topics.PET_STATE, PetStateCodec.key(pet.id()),
                        PetStateCodec.write(pet)));
            }
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode now = latest();
            assertThat(now.get("at").asLong()).isGreaterThan(since);
            assertThat(now.get("persistenceLag").asLong()).isEqualTo(4);
            assertThat(now.get("viewerLag").isNull()).isFalse();
            assertThat(now.get("viewerLag").asLong()).isZero();
        });
    }

    @Test
    void tickLatenessIsTheGapBetweenTwoConsecutiveTicksOfAPartitionBeyondTheInterval() {
        long since = System.currentTimeMillis();
        // a day ago: earlier than any tick this test JVM saw, so the gap to the partition's previous tick says nothing
        long aDayAgo = since - 86_400_000;
        PetTopics.tick(2, aDayAgo);
        PetTopics.tick(2, aDayAgo + 5_000 + 700);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(after(since).stream()
                .map(s -> s.get("tickLatenessMax")).filter(l -> !l.isNull()).map(JsonNode::asLong).toList())
                .containsExactly(700L));
        // the next one an hour later: the world was stopped, which is no lateness
        long tooLate = latest().get("at").asLong() + 1;
        PetTopics.tick(2, aDayAgo + 5_700 + 3_600_000);
        PartitionTick onTime = PetTopics.tick(2, aDayAgo + 5_700 + 3_600_000 + 4_900);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(after(tooLate).stream()
                .map(s -> s.get("tickLatenessMax")).filter(l -> !l.isNull()).map(JsonNode::asLong).toList())
                .as("tick %d", onTime.tick()).containsExactly(0L));
    }

    @Test
    void thePageShowsLiveChartsThatUpdate() throws Exception {
        try (Playwright playwright = Playwright.create(); Browser browser = Chromium.launch(playwright);
             KafkaProducer<byte[], byte[]> producer = PetTopics.producer()) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1100, 1400));
            page.navigate(base.resolve("/world").toString());
            assertThat(page.locator("[data-testid=dashboard] canvas").count()).isEqualTo(6);
            page.waitForFunction("() => Number(document.querySelector('[data-testid=dashboard]').dataset.samples) >= 1");
            int shown = samplesShown(page);
            // a little world: a pet born and fed every so often, its partition ticking, while the page watches
            long id = PetsTable.freshId();
            int partition = PetTopics.partitionOf(id);
            for (int version = 1; version <= 30; version++) {
                PetState pet = state(id, version, version == 1 ? Cause.ADOPTED : Cause.FED,
                        System.currentTimeMillis(), true);
                producer.send(new ProducerRecord<>(Topics.PET_STATE, PetStateCodec.key(id), PetStateCodec.write(pet)));
                PartitionTick tick = PetTopics.nextTick(partition, System.currentTimeMillis());
                producer.send(new ProducerRecord<>(Topics.PET_STATE, partition, PetStateCodec.tickKey(partition),
                        PetStateCodec.write(tick)));
                producer.flush();
                PetsTable.clock(tick);
                Thread.sleep(150);
            }
            // counted by the page, not by the chart's labels: a chart keeps only the last `history`, and a viewer up
            // for longer than that starts the page with a full chart
            page.waitForFunction("n => Number(document.querySelector('[data-testid=dashboard]').dataset.samples) > n",
                    shown + 2);
            for (int series = 0; series < 2; series++) {
                page.waitForFunction("i => Chart.getChart(document.getElementById('chart-stream')).data.datasets[i].data"
                        + ".some(v => v > 0)", series);
            }
            assertThat(page.locator("[data-testid=figure-events]").textContent()).isNotEqualTo("–");
            assertThat(page.locator("[data-testid=figure-ticks]").textContent()).isNotEqualTo("–");
            assertThat(page.locator("#chart-stream").getAttribute("aria-label")).contains("Events/s", "ticks/s");
            assertThat(page.locator("[data-testid=sampled-at]").textContent()).startsWith("Last sample");
            Files.createDirectories(Chromium.screenshot("world-dashboard").getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.screenshot("world-dashboard"))
                    .setFullPage(true));
        }
    }

    private static int samplesShown(Page page) {
        return ((Number) page.evaluate(
                "() => Number(document.querySelector('[data-testid=dashboard]').dataset.samples)")).intValue();
    }

    private JsonNode latest() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    private List<JsonNode> after(long since) {
        return samples.stream().filter(s -> s.get("at").asLong() >= since).toList();
    }

    private long sum(long since, ToLongFunction<JsonNode> figure) {
        return after(since).stream().mapToLong(figure).sum();
    }

    private static PetState state(long id, long version, Cause cause, long at, boolean alive) {
        return new PetState(id, UUID.randomUUID().toString(), "Census", Species.CRAB, (int) version, 100, alive,
                version, cause, PetTopics.clockOf(id), at, cause == Cause.FED ? "meal-" + version : null);
    }

    private static KafkaConsumer<String, String> consumer(String group, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(config);
    }

}
