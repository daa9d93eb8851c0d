package dev.livepet.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The world dashboard against the whole world: the simulator's instance owns the partitions, births and changes rise. */
class WorldDashboardIT {
    private static final int SEEDED = 300;
    private static final int ADOPTED = 5;

    @Test
    void theDashboardShowsTheWorldAsItIs() throws Exception {
        Path data = Files.createTempDirectory("livepet-system-dashboard");
        Files.createDirectories(WorldInTheBrowserIT.SCREENSHOTS);
        try (RunningWorld world = new RunningWorld(data, SEEDED, "LIVEPET_SIMULATOR_INSTANCE_ID=dash-sim",
                "LIVEPET_VIEWER_DASHBOARD_SAMPLE_INTERVAL=1s", "LIVEPET_VIEWER_DASHBOARD_TOTALS_INTERVAL=1s");
             Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                     .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(WorldInTheBrowserIT.Chromium.options())) {
            String url = world.awaitUrl();
            List<JsonNode> samples = new CopyOnWriteArrayList<>();
            WebSocket feed = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(url.replaceFirst("^http", "ws") + "/world/live"), new DashboardSamples(samples))
                    .join();

            // the seeded world: every pet alive in PostgreSQL, all partitions owned by the one simulator
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(samples).isNotEmpty();
                JsonNode now = samples.get(samples.size() - 1);
                assertThat(now.get("alive").asLong()).isEqualTo(SEEDED);
                assertThat(now.get("dead").asLong()).isZero();
                assertThat(now.get("owners")).hasSize(1);
                assertThat(now.get("owners").get(0).get("instance").asText()).isEqualTo("dash-sim");
                assertThat(now.get("owners").get(0).get("partitions")).hasSize(Topics.DEFAULT_PARTITIONS);
                assertThat(now.get("persistenceLag").isNull()).isFalse();
                assertThat(now.get("viewerLag").isNull()).isFalse();
            });

            // players adopt pets: births rise, the changes with them (adoptions are events), and the totals follow
            long since = System.currentTimeMillis();
            try (KafkaProducer<String, String> commands = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + world.kafkaPort,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                for (int i = 0; i < ADOPTED; i++) {
                    long id = (1L << 40) + ThreadLocalRandom.current().nextLong(1L << 30);
                    AdoptCommand adopt = new AdoptCommand(UUID.randomUUID().toString(), id, "dashboard-player",
                            "Census " + i, Species.PHOENIX);
                    commands.send(new ProducerRecord<>(Topics.PET_COMMANDS, String.valueOf(id),
                            PetJson.writeString(adopt))).get();
                }
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                long births = samples.stream().filter(s -> s.get("at").asLong() >= since)
                        .mapToLong(s -> s.get("births").asLong()).sum();
                assertThat(births).isEqualTo(ADOPTED);
                assertThat(samples.stream().filter(s -> s.get("at").asLong() >= since)
                        .mapToDouble(s -> s.get("eventsPerSecond").asDouble()).max().orElse(0)).isPositive();
                assertThat(samples.stream().filter(s -> s.get("at").asLong() >= since)
                        .mapToDouble(s -> s.get("ticksPerSecond").asDouble()).max().orElse(0)).isPositive();
                assertThat(samples.get(samples.size() - 1).get("alive").asLong()).isEqualTo(SEEDED + ADOPTED);
            });

            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1100, 1400));
            page.setDefaultTimeout(30_000);
            page.navigate(url + "/world");
            page.locator("[data-testid=owners] tr[data-instance=dash-sim]").waitFor();
            page.waitForFunction("() => Number(document.querySelector('[data-testid=dashboard]').dataset.samples) > 3");
            assertThat(page.getByTestId("figure-alive").textContent()).isEqualTo(String.valueOf(SEEDED + ADOPTED));
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(WorldInTheBrowserIT.SCREENSHOTS.resolve("world-dashboard.png")).setFullPage(true));
            feed.abort();
            assertThat(world.stop()).as("exit code after Ctrl-C").isIn(0, 130, 143);
        }
    }
}
