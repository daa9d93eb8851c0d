package dev.livepet.system;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import dev.livepet.stack.World;
import dev.livepet.stack.WorldSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault suite: one world as {@code ./livepet up} runs it (the broker and PostgreSQL in this JVM, so that they can
 * be stopped and started), under load — every partition ticking, feeds sent without pause, a player watching their
 * pet in Chromium — and one fault after another: a simulator killed with -9, one of three simulators killed, the
 * broker restarted, PostgreSQL stopped, the viewer restarted, every service restarted in turn as a rolling update
 * does. After each the world must recover with no manual step,
 * and through all of them every accepted feed is applied exactly once, no pet loses or repeats a change (its events'
 * versions 1, 2, 3, … without gap or repeat) and no partition loses or repeats a tick ({@link WorldLedger} checks
 * every committed event and tick); after a simulator fault every living pet still answers a command.
 *
 * <p>Its size comes from system properties, so that {@code ./livepet faults} runs the same scenarios longer and
 * bigger: {@code livepet.faults.pets}, {@code .minutes} (load before each fault), {@code .feeds-per-second},
 * {@code .tick}, {@code .kafka-down}, {@code .postgres-down}. Each scenario prints its figures
 * ({@code FAULTS ▸ ...}); all of them end up in {@code target/faults-report.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {
    private static final int SEEDED = Integer.getInteger("livepet.faults.pets", 2000);
    private static final double MINUTES = Double.parseDouble(System.getProperty("livepet.faults.minutes", "0"));
    private static final int FEEDS_PER_SECOND = Integer.getInteger("livepet.faults.feeds-per-second", 20);
    private static final String TICK = System.getProperty("livepet.faults.tick", "1s");
    private static final Duration KAFKA_DOWN = Duration.parse("PT" + System.getProperty("livepet.faults.kafka-down", "5s"));
    private static final Duration POSTGRES_DOWN = Duration.parse("PT" + System.getProperty("livepet.faults.postgres-down", "10s"));
    private static final int FED_PETS = 48;
    private static final long FED_PET_IDS_FROM = 900_000_000_000L;
    // a crashed extra simulator's partitions move once its session ended; the default is 45 s
    private static final String SESSION_TIMEOUT_MS = "10000";
    private static final Duration PATIENCE = Duration.ofSeconds(120 + SEEDED / 500);

    private final Map<String, String> figures = new LinkedHashMap<>();
    private Path data;
    private World world;
    private LocalStack stack;
    private WorldLedger ledger;
    private PetStateLog log;
    private FeedStream feeds;
    private Playwright playwright;
    private Browser browser;
    private Page page;
    private long watchedPet;
    private long loadSince;
    private long ticksAtLoad;
    private String viewer;

    @BeforeAll
    void startTheWorldUnderLoad() throws Exception {
        data = Files.createTempDirectory("livepet-faults");
        Files.createDirectories(WorldInTheBrowserIT.SCREENSHOTS);
        long t0 = System.nanoTime();
        world = World.start(new WorldSettings(Path.of(System.getProperty("livepet.home", "..")).toAbsolutePath().normalize(),
                data, LocalStackSettings.freePort(), LocalStackSettings.freePort(), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), LocalStackSettings.freePort(),
                Topics.DEFAULT_PARTITIONS, SEEDED, Map.of("LIVEPET_WORLD_TICK_INTERVAL", TICK), Set.of()), System.out);
        stack = world.stack();
        viewer = world.settings().viewerUrl();
        ledger = new WorldLedger(Topics.DEFAULT_PARTITIONS);
        log = new PetStateLog(stack.kafkaBootstrapServers(), ledger);

        List<Long> fed = new ArrayList<>();
        try (KafkaProducer<String, byte[]> players = producer()) {
            for (int i = 1; i <= FED_PETS; i++) {
                long id = FED_PET_IDS_FROM + i;
                fed.add(id);
                send(players, new AdoptCommand("fault-adopt-" + id, id, "fault-player", "Fed pet " + i,
                        Species.values()[i % Species.values().length]));
            }
        }
        await().atMost(PATIENCE).until(() -> ledger.pets() >= SEEDED + FED_PETS);
        feeds = new FeedStream(stack.kafkaBootstrapServers(), fed, FEEDS_PER_SECOND);
        loadSince = System.nanoTime();
        ticksAtLoad = ledger.ticks();

        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(WorldInTheBrowserIT.Chromium.options());
        page = browser.newContext().newPage();
        page.setDefaultTimeout(60_000); // the first pages of a fresh viewer on a busy two-core machine
        BrowserPlayer.register(page, viewer, "faults-" + System.nanoTime() + "@example.com", "through fire and water");
        watchedPet = BrowserPlayer.adopt(page, viewer, "Ember the Unshaken", "phoenix");
        long firstTick = shownTick();
        await().atMost(Duration.ofSeconds(30)).until(() -> shownTick() > firstTick);
        figure("world", "%,d seeded pets + %d fed pets + 1 watched in Chromium, tick %s, %d feeds/s, up in %.0f s",
                SEEDED, FED_PETS, TICK, FEEDS_PER_SECOND, seconds(t0));
    }

    @AfterAll
    void stopTheWorld() throws Exception {
        try {
            if (feeds != null) {
                feeds.close();
            }
            if (log != null) {
                log.close();
            }
            if (browser != null) {
                browser.close();
            }
            if (playwright != null) {
                playwright.close();
            }
        } finally {
            if (world != null) {
                world.close();
                // the broker's and PostgreSQL's data are gigabytes after a long run; the services' logs stay
                LocalStack.deleteTree(data.resolve("data"));
                System.out.println("FAULTS ▸ the services' logs are in " + data.resolve("logs"));
            }
            StringBuilder report = new StringBuilder();
            figures.forEach((k, v) -> report.append(k).append(": ").append(v).append('\n'));
            Files.writeString(Path.of("target", "faults-report.txt"), report);
            System.out.print("FAULTS ▸ all figures (also in target/faults-report.txt)\n" + report);
        }
    }

    @Test
    @Order(1)
    void aSimulatorKilledWithDashNineUnderLoadComesBackWithEveryPetAndEveryFeedAppliedOnce() throws Exception {
        underLoad();
        ServiceProcess old = world.service("simulator-service");
        long t0 = System.nanoTime();
        old.kill();
        ServiceProcess fresh = world.restart("simulator-service"); // as a supervisor (Kubernetes) restarts it
        Map<Integer, Long> atCrash = settledTicks();
        SimulatorOwnershipIT.awaitReady(fresh);
        double ready = seconds(t0);
        awaitEveryPartitionTickedSince(atCrash);
        double back = seconds(t0);
        int answered = everyLivingPetAnswers("1");
        double census = seconds(t0);
        int feedsChecked = awaitAcceptedFeedsAppliedOnce();
        figure("1 simulator kill -9", "ready again %.1f s after the kill, every one of %d partitions ticking again after"
                + " %.1f s, every one of %,d living pets applied a treat sent then after %.1f s; %,d accepted feeds so"
                + " far, each applied exactly once", ready, atCrash.size(), back, answered, census, feedsChecked);
    }

    @Test
    @Order(2)
    void oneOfThreeSimulatorsKilledItsPartitionsMoveAndNoPetIsLostOrTickedTwice() throws Exception {
        ServiceProcess b = extraSimulator("fault-b");
        ServiceProcess c = extraSimulator("fault-c");
        SimulatorOwnershipIT.awaitReady(b);
        SimulatorOwnershipIT.awaitReady(c);
        await().atMost(PATIENCE).until(() -> SimulatorGroup.owners(stack.kafkaBootstrapServers()).size() == 3);
        awaitEveryPartitionTickedSince(settledTicks());
        underLoad();
        Set<Integer> ofC = SimulatorGroup.owners(stack.kafkaBootstrapServers()).get("livepet-simulator-fault-c");
        assertThat(ofC).as("fault-c owns partitions").isNotEmpty();

        long t0 = System.nanoTime();
        c.kill();
        Map<Integer, Long> atCrash = settledTicks();
        await().atMost(PATIENCE).until(() -> {
            Map<String, Set<Integer>> owners = SimulatorGroup.owners(stack.kafkaBootstrapServers());
            return !owners.containsKey("livepet-simulator-fault-c")
                    && owners.values().stream().mapToInt(Set::size).sum() == Topics.DEFAULT_PARTITIONS;
        });
        double moved = seconds(t0);
        awaitEveryPartitionTickedSince(atCrash);
        double back = seconds(t0);
        Map<String, Set<Integer>> after = SimulatorGroup.owners(stack.kafkaBootstrapServers());
        int answered = everyLivingPetAnswers("2");
        int feedsChecked = awaitAcceptedFeedsAppliedOnce();
        figure("2 one of three simulators kill -9", "its %d partitions %s moved to the other two after %.1f s"
                + " (session timeout %s ms), every partition ticking again after %.1f s; owners now %s; every one of"
                + " %,d living pets applied a treat; %,d accepted feeds, each applied once", ofC.size(), ofC, moved,
                SESSION_TIMEOUT_MS, back, after, answered, feedsChecked);

        b.stop(); // back to the world's one simulator for the next faults: a graceful leave moves partitions at once
        await().atMost(PATIENCE).until(() -> SimulatorGroup.owners(stack.kafkaBootstrapServers()).size() == 1);
        awaitEveryPartitionTickedSince(settledTicks());
        everyLivingPetAnswers("2-back-to-one");
    }

    @Test
    @Order(3)
    void theBrokerRestartedEveryServiceRecoversByItself() throws Exception {
        underLoad();
        Locator hunger = page.getByTestId("pet-hunger");
        long t0 = System.nanoTime();
        stack.stopKafka();
        Map<Integer, Long> atStop = ledger.latestTicks(); // what the log had read: the broker answers no more
        long pageAtStop = shownTick();
        // a meal asked for meanwhile: the page says the post is out of reach (after the producer's delivery timeout)
        // rather than hang or fail silently
        page.getByTestId("feed-button").click();
        await().atMost(PATIENCE).until(() -> page.getByTestId("feed-note").textContent()
                .contains("The world's post is out of reach for a moment"));
        double noticed = seconds(t0);
        sleep(Math.max(0, KAFKA_DOWN.toMillis() - millisSince(t0)));
        stack.startKafka();
        long t1 = System.nanoTime();
        double down = seconds(t0);

        awaitEveryPartitionTickedSince(atStop);
        double ticking = seconds(t1);
        Settled ticked = settled();
        awaitPostgresReaches(ticked);
        double persisted = seconds(t1);
        long watchedClock = ticked.ticks().get(PetPartitioner.partitionOf(watchedPet, Topics.DEFAULT_PARTITIONS));
        await().atMost(PATIENCE).until(() -> shownTick() > Math.max(pageAtStop, watchedClock - 1));
        double live = seconds(t1);
        int answered = everyLivingPetAnswers("3");

        // the viewer's own producer works again: a meal from the page is taken and reaches the page
        int hungerBefore = Integer.parseInt(hunger.getAttribute("data-hunger"));
        page.getByTestId("feed-button").click();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(page.getByTestId("feed-note").textContent())
                .as("the note after a meal asked for once the broker is back").contains("on its way"));
        await().atMost(PATIENCE).until(() -> Integer.parseInt(hunger.getAttribute("data-hunger")) < hungerBefore);
        double fedFromPage = seconds(t1);
        int feedsChecked = awaitAcceptedFeedsAppliedOnce();
        figure("3 Kafka broker restart", "down %.1f s (a meal asked for from the page meanwhile said the post was out"
                        + " of reach after %.1f s); after it was back: every partition ticking after %.1f s, every"
                        + " pet's row and partition's clock in PostgreSQL at least at the log's then after %.1f s, the page"
                        + " live again after %.1f s, a meal from the page applied after %.1f s, every one of %,d living"
                        + " pets applied a treat; %,d accepted feeds, each applied once (%,d sends refused by the producer"
                        + " while it was down)", down, noticed, ticking, persisted, live, fedFromPage, answered,
                feedsChecked, feeds.refused());
    }

    @Test
    @Order(4)
    void postgresStoppedPersistenceCatchesUpAndViewersStayLive() throws Exception {
        underLoad();
        long t0 = System.nanoTime();
        stack.stopPostgres();
        long pageAtStop = shownTick();
        List<Long> seenDuringOutage = new ArrayList<>();
        Integer reloadDuringOutage = null;
        Integer myPetsDuringOutage = null;
        Integer readyDuringOutage = null;
        while (millisSince(t0) < POSTGRES_DOWN.toMillis()) {
            sleep(1000);
            seenDuringOutage.add(shownTick());
            if (reloadDuringOutage == null && millisSince(t0) > POSTGRES_DOWN.toMillis() / 2) {
                // the player opens a page meanwhile: whatever it shows, the outage must not log them out (below)
                Page during = page.context().newPage();
                reloadDuringOutage = during.navigate(viewer + "/pets/" + watchedPet).status();
                // a page that needs PostgreSQL says so, and the viewer stays ready: the outage takes no one away
                Response myPets = during.navigate(viewer + "/pets");
                myPetsDuringOutage = myPets.status();
                assertThat(myPetsDuringOutage).as("My Pets while PostgreSQL is down").isEqualTo(503);
                assertThat(during.getByRole(AriaRole.MAIN).textContent()).contains("out of reach for a moment");
                // (asked as a probe asks it: on the viewer's management port, not on the players' address)
                readyDuringOutage = during.navigate(world.service("viewer-service").management("/q/health/ready")
                        .toString()).status();
                assertThat(readyDuringOutage).as("the viewer's readiness while PostgreSQL is down").isEqualTo(200);
                during.close();
            }
        }
        stack.startPostgres();
        long t1 = System.nanoTime();
        double down = seconds(t0);
        assertThat(seenDuringOutage.get(seenDuringOutage.size() - 1)).as("the page went on ticking while PostgreSQL"
                + " was down (ticks seen each second: %s)", seenDuringOutage).isGreaterThan(pageAtStop);

        Settled atRestart = settled();
        awaitPostgresReaches(atRestart);
        double caughtUp = seconds(t1);
        // the viewer's own pool is back too: a page that reads PostgreSQL, for the same player, still logged in
        Page myPets = page.context().newPage();
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(myPets.navigate(viewer + "/pets").status()).isEqualTo(200);
            assertThat(myPets.getByRole(AriaRole.MAIN).textContent()).contains("Ember the Unshaken");
        });
        myPets.close();
        double pages = seconds(t1);
        int feedsChecked = awaitAcceptedFeedsAppliedOnce();
        figure("4 PostgreSQL stopped", "down %.1f s, the page live all along (ticks %d -> %s; the pet page opened"
                        + " during the outage answered %s, My Pets %s with its notice, the viewer's readiness %s);"
                        + " after the restart every one of %,d rows and %d clocks at"
                        + " least at the log's then after %.1f s, the viewer's pages read PostgreSQL again after %.1f s;"
                        + " %,d accepted feeds, each applied once", down, pageAtStop, seenDuringOutage,
                reloadDuringOutage, myPetsDuringOutage, readyDuringOutage, atRestart.versions().size(), atRestart.ticks().size(), caughtUp, pages, feedsChecked);
    }

    @Test
    @Order(5)
    void theViewerRestartedTheBrowserReconnectsByItselfAndShowsTheCurrentState() throws Exception {
        underLoad();
        long before = shownVersion();
        long t0 = System.nanoTime();
        ServiceProcess fresh = world.restart("viewer-service"); // SIGTERM, as a rolling update stops it, then a new one
        // while no viewer runs, the pet changes: the page must show it without a reload once it is back
        String meal = "fault-meal-while-the-viewer-restarts";
        try (KafkaProducer<String, byte[]> player = producer()) {
            send(player, new FeedCommand(meal, watchedPet, Food.MEAL, "fault-player"));
        }
        SimulatorOwnershipIT.awaitReady(fresh);
        double ready = seconds(t0);
        await().atMost(PATIENCE).until(() -> ledger.timesApplied(meal) == 1);
        long current = ledger.latestVersion(watchedPet);
        await().atMost(PATIENCE).until(() -> shownVersion() >= current);
        double shown = seconds(t0);
        assertThat(page.url()).as("no reload, no navigation").endsWith("/pets/" + watchedPet);
        page.screenshot(new Page.ScreenshotOptions().setPath(WorldInTheBrowserIT.SCREENSHOTS.resolve("faults-viewer-restarted.png")));
        figure("5 viewer restart", "ready again %.1f s after the SIGTERM; the page (no reload) went from version %d to"
                + " %d or later, past the meal given while the viewer was down, %.1f s after the SIGTERM", ready, before, current, shown);
    }

    @Test
    @Order(6)
    void aRollingRestartOfEveryServiceUnderLoadLosesNothing() throws Exception {
        // two simulators, as the chart runs them: a roll moves the partitions of the one restarting to the other
        ServiceProcess second = extraSimulator("roll-a");
        SimulatorOwnershipIT.awaitReady(second);
        await().atMost(PATIENCE).until(() -> SimulatorGroup.owners(stack.kafkaBootstrapServers()).size() == 2);
        awaitEveryPartitionTickedSince(settledTicks());
        underLoad();
        long sentBefore = feeds.sent();
        ledger.measureTickGapsFromNow();
        long t0 = System.nanoTime();
        // one pod at a time, the next once the one before is ready again (SIGTERM, then a new process)
        SimulatorOwnershipIT.awaitReady(world.restart("simulator-service"));
        second.stop();
        ServiceProcess third = extraSimulator("roll-b");
        SimulatorOwnershipIT.awaitReady(third);
        SimulatorOwnershipIT.awaitReady(world.restart("persistence-service"));
        SimulatorOwnershipIT.awaitReady(world.restart("viewer-service"));
        double rolled = seconds(t0);
        Settled after = settled();
        awaitEveryPartitionTickedSince(after.ticks());
        long widest = ledger.widestTickGapMillis();
        awaitPostgresReaches(after);
        int feedsChecked = awaitAcceptedFeedsAppliedOnce();
        long tickMillis = Duration.parse("PT" + TICK).toMillis();
        assertThat(widest).as("ticks were seen during the roll").isPositive();
        figure("6 rolling restart", "simulator, second simulator, persistence, viewer one after the other in %.1f s,"
                        + " %,d feeds sent meanwhile; the widest step between two ticks of a partition %,d ms (a tick"
                        + " every %,d ms: at worst %,d ms late); PostgreSQL caught up; %,d accepted feeds so far, each"
                        + " applied exactly once, no version or tick missing or repeated", rolled,
                feeds.sent() - sentBefore, widest, tickMillis, Math.max(0, widest - tickMillis), feedsChecked);
        third.stop(); // back to the world's one simulator
        await().atMost(PATIENCE).until(() -> SimulatorGroup.owners(stack.kafkaBootstrapServers()).size() == 1);
    }

    @Test
    @Order(7)
    void throughAllOfItEveryAcceptedFeedWasAppliedOnceAndNoPetLostOrRepeatedAChange() throws Exception {
        feeds.close();
        int feedsChecked = awaitAcceptedFeedsAppliedOnce();
        assertThat(ledger.pets()).as("pets in the world").isEqualTo(SEEDED + FED_PETS + 1);
        assertThat(log.unreadable()).as("records of pet-state no service could read").isEmpty();
        double run = seconds(loadSince);
        figure("whole run", "%.0f s under load: %,d feeds sent, %,d accepted, each applied exactly once; %,d committed"
                        + " events of %,d pets and %,d tick records checked: no version or tick missing or repeated, every"
                        + " age as the tick rule says; %.2f ticks per partition per second through the faults (a tick"
                        + " every %s is %.2f)", run, feeds.sent(), feedsChecked, ledger.events(), ledger.pets(),
                ledger.ticks(), (ledger.ticks() - ticksAtLoad) / (double) Topics.DEFAULT_PARTITIONS / run, TICK,
                1000.0 / Duration.parse("PT" + TICK).toMillis());
    }

    // --- the load, the checks ---

    /** The load runs a while before each fault (0 in CI: the load has been running since the world started). */
    private void underLoad() {
        sleep((long) (MINUTES * 60_000));
    }

    /** Each pet's newest version and each partition's newest tick, as committed when they were taken. */
    private record Settled(Map<Long, Long> versions, Map<Integer, Long> ticks) {
    }

    /** The newest versions and ticks once the log has read everything committed before the call. */
    private Settled settled() throws Exception {
        log.awaitCaughtUp(PATIENCE);
        return new Settled(ledger.latestVersions(), ledger.latestTicks());
    }

    private Map<Integer, Long> settledTicks() throws Exception {
        return settled().ticks();
    }

    /** Every partition's clock ticks again after the given ticks: the world lives again everywhere. */
    private void awaitEveryPartitionTickedSince(Map<Integer, Long> ticks) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> ledger.untickedSince(ticks).isEmpty());
        assertThat(ledger.problems()).as("rules broken in pet-state").isEmpty();
    }

    /**
     * Every living pet still lives where its partition is owned: a treat sent to each now is applied exactly once
     * (a pet lost by a restore or a move would never apply it). Returns how many pets answered.
     */
    private int everyLivingPetAnswers(String scenario) throws Exception {
        List<Long> living = ledger.living();
        List<String> census = new ArrayList<>(living.size());
        try (KafkaProducer<String, byte[]> players = producer()) {
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>(living.size());
            for (long id : living) {
                String command = "census-" + scenario + "-" + id;
                census.add(command);
                sends.add(players.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetPartitioner.key(id),
                        PetJson.write(new FeedCommand(command, id, Food.TREAT, "fault-census")))));
            }
            for (java.util.concurrent.Future<?> send : sends) {
                send.get(60, TimeUnit.SECONDS);
            }
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() ->
                census.stream().allMatch(id -> ledger.timesApplied(id) >= 1));
        assertThat(census.stream().filter(id -> ledger.timesApplied(id) != 1).toList()).as("treats applied more than once").isEmpty();
        assertThat(ledger.problems()).as("rules broken in pet-state").isEmpty();
        return living.size();
    }

    /** Waits until every feed accepted so far is applied; the ledger reports any applied twice. */
    private int awaitAcceptedFeedsAppliedOnce() {
        Set<String> accepted = feeds.accepted();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() ->
                accepted.stream().allMatch(id -> ledger.timesApplied(id) >= 1));
        assertThat(accepted.stream().filter(id -> ledger.timesApplied(id) != 1).toList()).as("feeds applied more than once").isEmpty();
        assertThat(ledger.problems()).as("rules broken in pet-state").isEmpty();
        return accepted.size();
    }

    /**
     * PostgreSQL holds every pet's row at least at the given version and every partition's clock at least at the
     * given tick (later ones may have overtaken them).
     */
    private void awaitPostgresReaches(Settled settled) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> behindInPostgres(settled) == 0);
    }

    private long behindInPostgres(Settled settled) throws Exception {
        Map<Long, Long> rows = new HashMap<>(settled.versions().size() * 2);
        Map<Integer, Long> clocks = new HashMap<>();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             Statement q = db.createStatement()) {
            try (ResultSet r = q.executeQuery("SELECT id, version FROM pets")) {
                while (r.next()) {
                    rows.put(r.getLong(1), r.getLong(2));
                }
            }
            try (ResultSet r = q.executeQuery("SELECT partition, tick FROM partition_clocks")) {
                while (r.next()) {
                    clocks.put(r.getInt(1), r.getLong(2));
                }
            }
        } catch (java.sql.SQLException e) {
            return settled.versions().size() + settled.ticks().size(); // not reachable yet
        }
        return settled.versions().entrySet().stream().filter(e -> rows.getOrDefault(e.getKey(), 0L) < e.getValue()).count()
                + settled.ticks().entrySet().stream().filter(e -> clocks.getOrDefault(e.getKey(), 0L) < e.getValue()).count();
    }

    private ServiceProcess extraSimulator(String instance) {
        return world.startInstance("simulator-service", instance, LocalStackSettings.freePort(), Map.of(
                "LIVEPET_SIMULATOR_INSTANCE_ID", instance,
                "LIVEPET_SIMULATOR_SEED_PETS", "0",
                "KAFKA_SESSION_TIMEOUT_MS", SESSION_TIMEOUT_MS));
    }

    private long shownVersion() {
        return WorldInTheBrowserIT.shownVersion(page.getByTestId("pet-version"));
    }

    private long shownTick() {
        return WorldInTheBrowserIT.shownTick(page.getByTestId("pet-version"));
    }

    private void figure(String scenario, String format, Object... args) {
        String text = String.format(format, args);
        figures.put(scenario, text);
        System.out.println("FAULTS ▸ " + scenario + ": " + text);
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, PetCommand command) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetPartitioner.key(command.petId()),
                PetJson.write(command))).get(60, TimeUnit.SECONDS);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static long millisSince(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
