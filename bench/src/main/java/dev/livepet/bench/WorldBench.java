package dev.livepet.bench;

import dev.livepet.stack.Broker;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.PartitionOwners;
import dev.livepet.stack.ServiceProcess;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static dev.livepet.bench.BenchLatencies.percentile;
import static dev.livepet.bench.BenchProcess.say;

/**
 * {@code ./livepet bench world}: the whole world on this machine. A fresh local stack, the three services as
 * their own JVMs (persistence, a simulator seeding and ticking the world, one viewer), K players registered and
 * logged in over HTTP, W pets adopted for them and watched by W WebSocket browsers with their owners' sessions,
 * and F feeds a second through the viewer's Feed button (htmx POST with the CSRF header) spread over the watched
 * pets by their owners.
 *
 * <p>The feeds are an open loop ({@link OpenLoopSchedule}): feed i is due at its time whatever became of the ones
 * before, every latency counts from that time, and a client that falls behind sends late (and says how many) instead
 * of sending less. Every accepted answer carries the command id ({@code LivePet-Command}); the benchmark reads
 * pet-state itself (read_committed) and matches each accepted id to exactly one {@code fed} event
 * ({@link CommandLedger}). Each watcher checks that its pet's frames go a tick at a time ({@link TickContinuity}).
 * It exits with status 1 when a feed was lost or duplicated, or a watcher's frames skipped or repeated a tick.
 */
public final class WorldBench {
    private static final String SIMULATOR = "simulator-service";
    private static final String PERSISTENCE = "persistence-service";
    private static final String VIEWER = "viewer-service";
    private static final String PERSISTENCE_GROUP = "livepet-persistence";
    private static final String SIMULATOR_GROUP = "livepet-simulator";
    /** The header of the viewer's answer to a feed that names the command it sent. */
    static final String COMMAND_HEADER = "LivePet-Command";
    private static final Duration LIMIT_WINDOW = Duration.ofSeconds(10);
    /** How long after the load's end a feeder that fell behind still sends; the rest count as not sent. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);
    // how long after the stream settled PostgreSQL may take to reach the last events and ticks (no flush interval)
    private static final Duration ROWS_PATIENCE = Duration.ofSeconds(60);

    private final int pets;
    private final int watchers;
    private final double feedsPerSecond;
    private final double minutes;
    private final int players;
    private final int partitions;
    private final int settleSeconds;
    private final int inFlightMax;
    private final long lateNanos;
    private final boolean coalescingAllowed;
    private final String viewerJavaOptions;
    private final boolean keep;
    private final Path home;
    private final Map<String, String> results = new LinkedHashMap<>();

    private long[] ids = new long[0];
    // per watched pet (index = id − ADOPTED_FROM): the newest version read from pet-state
    private AtomicLongArray lastVersion;
    private final ConcurrentHashMap<Long, PetState> adopted = new ConcurrentHashMap<>();
    private final BenchLatencies feedToBrowser = new BenchLatencies();
    private final BenchLatencies answers = new BenchLatencies();
    // a fed event's feed due time and the arrival of its frame, by (pet, version, tick)
    private final FrameMatch fedFrames = new FrameMatch(feedToBrowser::record);
    private final CommandLedger ledger = new CommandLedger(
            (command, dueMillis, pet, version, tick) -> fedFrames.started(pet, version, tick, dueMillis));
    private final PartitionClocks clocks = new PartitionClocks();
    private final AtomicLong fedEvents = new AtomicLong();
    private final AtomicLong fedWithoutCommand = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sentLate = new AtomicLong();
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<Integer, AtomicLong> refusedByStatus = new ConcurrentHashMap<>();

    private WorldBench(BenchOptions options, Path home) {
        pets = options.integer("--pets", 1_000_000);
        watchers = options.integer("--watchers", 10_000);
        feedsPerSecond = options.number("--feeds-per-second", 1000);
        minutes = options.number("--minutes", 10);
        players = Math.min(options.integer("--players", 10), watchers);
        partitions = options.integer("--partitions", Topics.DEFAULT_PARTITIONS);
        settleSeconds = options.integer("--settle-seconds", 30);
        // the client's connection budget: past it a feed waits for a connection and goes late, timed from its due time
        inFlightMax = options.integer("--in-flight", Math.max(200, (int) Math.ceil(feedsPerSecond)));
        lateNanos = (long) (options.number("--late-ms", 10) * 1_000_000);
        coalescingAllowed = options.flag("--allow-coalescing");
        viewerJavaOptions = options.text("--viewer-java-opts", "");
        keep = options.flag("--keep");
        this.home = home;
        if (watchers < 1 || pets < watchers || players < 1 || feedsPerSecond <= 0 || minutes <= 0 || partitions < 1
                || settleSeconds < 0 || inFlightMax < 1 || lateNanos < 0) {
            options.fail("numbers must be positive, and there must be at least as many pets as watchers");
        }
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args, "bench world", "--pets N (1000000) --watchers N (10000)"
                        + " --feeds-per-second F (1000) --minutes M (10) --players K (10) --partitions P (240)"
                        + " --settle-seconds S (30) --in-flight K (the larger of 200 and F) --late-ms L (10)"
                        + " --allow-coalescing --viewer-java-opts '…' --keep",
                Set.of("--pets", "--watchers", "--feeds-per-second", "--minutes", "--players", "--partitions", "--settle-seconds",
                        "--in-flight", "--late-ms", "--viewer-java-opts"),
                Set.of("--keep", "--allow-coalescing"));
        boolean honest = new WorldBench(options, BenchOptions.home()).run();
        System.exit(honest ? 0 : 1);
    }

    /** Runs the world and prints the figures; false when a feed was lost or duplicated or a watcher's ticks broke. */
    private boolean run() throws Exception {
        ids = new long[watchers];
        for (int i = 0; i < watchers; i++) {
            ids[i] = BenchPlayer.ADOPTED_FROM + i;
        }
        lastVersion = new AtomicLongArray(watchers);
        Path dir = BenchProcess.workDirectory("livepet-bench-world");
        Path logs = dir.resolve("logs");
        say("the whole world: %,d pets, %,d of them watched by as many browsers of %,d players, %,.0f feeds/s through"
                + " the viewer (an open loop), %s minutes; data and logs in %s", pets, watchers, players, feedsPerSecond,
                minutes, dir);
        long t0 = System.nanoTime();
        ServiceProcess persistence = null;
        ServiceProcess simulator = null;
        ServiceProcess viewer = null;
        boolean honest;
        try (LocalStack stack = LocalStack.start(new LocalStackSettings(dir.resolve("stack"), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), partitions), Broker.Placement.OWN_PROCESS)) {
            say("Kafka (its own JVM) and PostgreSQL ready in %.1f s", BenchProcess.seconds(t0));
            Map<String, String> env = BenchProcess.serviceEnvironment(stack);
            try {
                // persistence first: its Flyway makes the pets table and the pets_now view that the viewer reads
                persistence = ServiceProcess.start(PERSISTENCE, home, LocalStackSettings.freePort(), env, logs, dir.resolve("pids"));
                BenchProcess.awaitReady(persistence, Duration.ofMinutes(3));
                say("persistence ready after %.1f s", BenchProcess.seconds(t0));
                int viewerPort = LocalStackSettings.freePort();
                Map<String, String> viewerEnv = BenchProcess.viewerEnvironment(env, viewerPort);
                viewerEnv.put("LIVEPET_VIEWER_LIMITS_FEEDS", String.valueOf(feedLimit()));
                viewerEnv.put("LIVEPET_VIEWER_LIMITS_WINDOW", LIMIT_WINDOW.toSeconds() + "s");
                viewerEnv.put("LIVEPET_SERVICE_JAVA_OPTS", viewerJavaOptions);
                viewer = ServiceProcess.start(VIEWER, home, viewerPort, viewerEnv, logs, dir.resolve("pids"));
                BenchProcess.awaitReady(viewer, Duration.ofMinutes(3));
                say("viewer ready; its feed rate limit raised for the run to %,d meals per player per %d s"
                        + " (LIVEPET_VIEWER_LIMITS_FEEDS, LIVEPET_VIEWER_LIMITS_WINDOW; the default is 10 per 10 s)", feedLimit(), LIMIT_WINDOW.toSeconds());
                WatchedPetStates stream = WatchedPetStates.follow(stack, ids, new WatchedPetStates.Records() {
                    @Override
                    public void event(PetState event) {
                        state(event);
                    }

                    @Override
                    public void tick(PartitionTick tick) {
                        clocks.tick(tick.partition(), tick.tick());
                    }
                });
                List<BenchPlayer> playerList = BenchPlayer.registerAll(players, viewer.port(), stack);
                say("%,d players registered and logged in at the viewer after %.1f s", players, BenchProcess.seconds(t0));
                // adopted before the simulator starts: it applies them while seeding, so they reach PostgreSQL
                // right behind the seeded pets
                BenchPlayer.adopt(stack, ids, playerList);
                Map<String, String> simulatorEnv = new LinkedHashMap<>(env);
                simulatorEnv.put("LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(pets - watchers));
                simulatorEnv.put("LIVEPET_SIMULATOR_INSTANCE_ID", "bench");
                simulator = ServiceProcess.start(SIMULATOR, home, LocalStackSettings.freePort(), simulatorEnv, logs, dir.resolve("pids"));
                BenchProcess.awaitReady(simulator, Duration.ofMinutes(10));
                say("simulator ready (%,d pets seeded) after %.1f s", pets - watchers, BenchProcess.seconds(t0));
                honest = measure(stack, new Services(persistence, simulator, viewer, stack.settings().dataDir().resolve("postgres"),
                        stack.brokerPid()),
                        stream, playerList);
            } finally {
                for (ServiceProcess s : new ServiceProcess[] {viewer, simulator, persistence}) {
                    if (s != null) {
                        s.stop();
                    }
                }
            }
        } finally {
            if (!keep) {
                LocalStack.deleteTree(dir);
            }
        }
        BenchProcess.printResults("LivePet whole-world load run", results);
        if (!honest) {
            say("FAILED: %s", results.get("VERDICT"));
        }
        return honest;
    }

    /** Twice what a player sends per window at the asked rate, so that the limit never refuses a feed of the run. */
    private int feedLimit() {
        return (int) Math.max(10, Math.ceil(2 * feedsPerSecond * LIMIT_WINDOW.toSeconds() / players));
    }

    private boolean measure(LocalStack stack, Services services, WatchedPetStates stream, List<BenchPlayer> playerList)
            throws Exception {
        PartitionOwners owners = new PartitionOwners(stack.kafkaBootstrapServers());
        long t0 = System.nanoTime();
        while (adopted.size() < watchers) {
            if (BenchProcess.seconds(t0) > 300) {
                throw new IllegalStateException("only " + adopted.size() + " of " + watchers + " adopted pets appeared on pet-state");
            }
            BenchProcess.sleep(200);
        }
        say("%,d pets adopted for them, on pet-state %.1f s after the simulator was ready; waiting for the persistence service to store them",
                watchers, BenchProcess.seconds(t0));
        awaitAdoptedRows(stack, owners);

        BenchWatchers browsers = new BenchWatchers(fedFrames::arrived);
        browsers.connect(services.viewer().port(), ids, playerList);
        say("watchers connected: %s; settling %d s", browsers.connectedSummary(watchers), settleSeconds);
        BenchProcess.sleep(settleSeconds * 1000L);

        // from here on each watcher's frames must go a tick at a time, measured from the last frame it had
        browsers.restartContinuity();
        Map<String, Double> simulatorBefore = BenchProcess.metrics(services.simulator());
        long[] cpuBefore = services.cpuTicks();
        long framesBefore = browsers.frames();
        long ticksBefore = clocks.ticks();
        long missedBefore = clocks.missed();
        long repeatedBefore = clocks.repeated();
        long eventsBefore = stream.events();
        long[] maxMemory = new long[Services.NAMES.length];
        long maxPersistenceLag = 0;
        Semaphore inFlight = new Semaphore(inFlightMax);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        long runStart = System.nanoTime() + 100_000_000L; // the first feed is due a tenth of a second from now
        long wallStart = System.currentTimeMillis() + 100;
        OpenLoopSchedule schedule = new OpenLoopSchedule(runStart, feedsPerSecond, minutes * 60);
        Thread feeder = new Thread(() -> feed(http, services.viewer().port(), playerList, schedule, inFlight, wallStart),
                "feeder");
        feeder.start();
        say("  %6s  %-37s %8s  %-17s  %-19s  %9s  %-34s  %s", "time", "feeds/s due/sent/accepted/refused, late",
                "frames/s", "answer p50/p99", "feed→browser p50/p99", "world", "cores sim/persist/viewer/pg/kafka/bench",
                "persistence lag, load");
        long nextReport = runStart + 10_000_000_000L;
        long lastReport = runStart;
        long[] lastCpu = cpuBefore;
        long[] lastCounts = {0, 0, 0, 0, framesBefore, ticksBefore};
        int reportedFeeds = 0;
        int reportedAnswers = 0;
        while (feeder.isAlive()) {
            feeder.join(200);
            if (System.nanoTime() < nextReport) {
                continue;
            }
            nextReport += 10_000_000_000L;
            long now = System.nanoTime();
            double dt = (now - lastReport) / 1e9;
            lastReport = now;
            long[] cpu = services.cpuTicks();
            long[] counts = {schedule.dueBy(now), sent.get(), accepted.get(), refused.get() + failed.get(),
                    browsers.frames(), clocks.ticks()};
            long[] memory = services.memoryBytes();
            for (int i = 0; i < memory.length; i++) {
                maxMemory[i] = Math.max(maxMemory[i], memory[i]);
            }
            long lag = persistenceLag(owners);
            maxPersistenceLag = Math.max(maxPersistenceLag, lag);
            long[] feedWindow = feedToBrowser.snapshot(reportedFeeds);
            reportedFeeds += feedWindow.length;
            long[] answerWindow = answers.snapshot(reportedAnswers);
            reportedAnswers += answerWindow.length;
            fedFrames.forgetArrivalsBefore(System.currentTimeMillis() - 60_000);
            say("  %5.0fs  %6.0f / %6.0f / %6.0f / %5.0f, %,7d   %8.0f  %7s / %-7s  %8s / %-8s  %8.0f%%  %-34s  %,d, %s",
                    BenchProcess.seconds(runStart), (counts[0] - lastCounts[0]) / dt, (counts[1] - lastCounts[1]) / dt,
                    (counts[2] - lastCounts[2]) / dt, (counts[3] - lastCounts[3]) / dt, sentLate.get(),
                    (counts[4] - lastCounts[4]) / dt, percentile(answerWindow, 0.5), percentile(answerWindow, 0.99),
                    percentile(feedWindow, 0.5), percentile(feedWindow, 0.99),
                    100 * PartitionClocks.pace(counts[5] - lastCounts[5], dt, stream.partitions(), interval()),
                    Services.cores(lastCpu, cpu, dt), lag, BenchProcess.loadAverage());
            lastCpu = cpu;
            lastCounts = counts;
        }
        double sending = BenchProcess.seconds(runStart);
        // every answer is in (each request gives up after 60 s)
        if (!inFlight.tryAcquire(inFlightMax, 90, TimeUnit.SECONDS)) {
            say("%,d answers still missing 90 s after the last feed was sent", inFlightMax - inFlight.availablePermits());
        }
        double run = BenchProcess.seconds(runStart);
        long[] cpuAfter = services.cpuTicks();
        long[] memoryAfter = services.memoryBytes();
        Map<String, Double> simulatorAfter = BenchProcess.metrics(services.simulator());
        long framesAfter = browsers.frames();
        long ticksRun = clocks.ticks() - ticksBefore;
        long eventsRun = stream.events() - eventsBefore;
        List<PartitionOwners.Row> lagAtEnd = owners.rows(null);
        say("%,d of %,d feeds sent (%,d given up %d s after the load's end), the last %.0f s after the first was due;"
                + " waiting for the simulator to apply every command and this reader to catch up", sent.get(),
                schedule.asked(), unsent.get(), GIVE_UP_AFTER.toSeconds(), sending);

        Map<Integer, Long> ends = awaitSettled(owners, stream);
        long[] settledVersions = new long[watchers];
        for (int i = 0; i < watchers; i++) {
            settledVersions[i] = lastVersion.get(i);
        }
        Map<Integer, Long> settledTicks = clocks.lastTicks();
        awaitFramesOfAppliedFeeds();
        BenchWatchers.Continuity continuity = browsers.continuity();
        long[] rowsBehind = awaitRows(stack, owners, settledVersions, settledTicks);
        stream.close();

        long lost = ledger.lost();
        long duplicated = ledger.duplicated();
        boolean broken = continuity.broken(coalescingAllowed);
        results.put("world", String.format("%,d pets = %,d seeded + %,d adopted and watched, %,d players (%,d watched pets"
                        + " each), %d partitions ticking every %.0f s, one instance of each service", pets, pets - watchers,
                watchers, players, (watchers + players - 1) / players, partitions, interval()));
        results.put("watchers connected", browsers.connectedSummary(watchers));
        results.put("feed rate limit (raised for the run)", String.format("LIVEPET_VIEWER_LIMITS_FEEDS=%d LIVEPET_VIEWER_LIMITS_WINDOW=%ds"
                + " (default 10 per 10 s)", feedLimit(), LIMIT_WINDOW.toSeconds()));
        results.put("run", String.format("%.0f s of feeding (the last sent %.0f s after the first was due) after %d s of"
                        + " settling; pet-state settled at offsets summing to %,d", run, sending, settleSeconds,
                ends.values().stream().mapToLong(Long::longValue).sum()));
        results.put("feeds asked / sent / sent late", String.format("%,d (%,.0f/s for %s min) / %,d / %,d more than %.0f ms"
                        + " after they were due (%,d connections at most: past them a feed waits and goes late)",
                schedule.asked(), feedsPerSecond, minutes, sent.get(), sentLate.get(), lateNanos / 1e6, inFlightMax));
        results.put("feeds not sent", String.format("%,d: still unsent %d s after the load's end, given up and counted"
                + " above every percentile below", unsent.get(), GIVE_UP_AFTER.toSeconds()));
        results.put("answers: accepted / refused / failed", String.format("%,d / %,d %s / %,d (%,d accepted without a %s"
                        + " header)", accepted.get(), refused.get(), refusedByStatus, failed.get(),
                ledger.acceptedWithoutId(), COMMAND_HEADER));
        long[] answerAll = answers.snapshot(0);
        results.put("answer p50 / p99 / max, from when each feed was due", String.format("%s / %s / %s (of those sent:"
                        + " %s / %s / %s)", percentile(answerAll, unsent.get(), 0.5), percentile(answerAll, unsent.get(), 0.99),
                percentile(answerAll, unsent.get(), 1.0), percentile(answerAll, 0.5), percentile(answerAll, 0.99),
                percentile(answerAll, 1.0)));
        results.put("applied: fed events of the watched pets on pet-state", String.format("%,d (%,d command ids; %,d"
                + " without a command id)", fedEvents.get(), ledger.applied(), fedWithoutCommand.get()));
        long[] all = feedToBrowser.snapshot(0);
        results.put("feed-to-browser p50 / p90 / p99 / max, from when each feed was due", String.format(
                "%s / %s / %s / %s (%,d fed events seen in a frame; of those: %s / %s / %s / %s)",
                percentile(all, unsent.get(), 0.5), percentile(all, unsent.get(), 0.9), percentile(all, unsent.get(), 0.99),
                percentile(all, unsent.get(), 1.0), all.length, percentile(all, 0.5), percentile(all, 0.9),
                percentile(all, 0.99), percentile(all, 1.0)));
        results.put("fed events no frame showed once the stream settled", String.format("%,d", fedFrames.unshown()));
        results.put("frames received", String.format("%,d = %,.0f/s (%,d watchers × a tick per %.0f s = %,.0f/s, plus the"
                        + " feeds); %,d without a pet", framesAfter - framesBefore, (framesAfter - framesBefore) / run,
                browsers.connected(), interval(), browsers.connected() / interval(), browsers.refused()));
        results.put("watchers' frames tick by tick", String.format("%,d frames of their own pets: %,d skipped ticks"
                        + " (%,d frames)%s, %,d repeated, %,d out of order; %,d watchers saw a break", continuity.frames(),
                continuity.skippedTicks(), continuity.skips(), coalescingAllowed ? " allowed as coalescing" : "",
                continuity.repeats(), continuity.backs(), continuity.watchersBroken()));
        results.put("viewer's coalescing for slow browsers", BenchProcess.viewerCoalesced(services.viewer()));
        results.put("viewer skipped of pet-state since its start", BenchProcess.viewerSkips(services.viewer()));
        results.put("how fast the world lived", String.format("%,d tick records in %.0f s = %.1f %% of one per partition"
                        + " per %.0f s; %,d tick numbers missed, %,d repeated; %,d events of all pets (%,.0f/s)",
                ticksRun, run, 100 * PartitionClocks.pace(ticksRun, run, stream.partitions(), interval()), interval(),
                clocks.missed() - missedBefore, clocks.repeated() - repeatedBefore, eventsRun, eventsRun / run));
        TickLateness lateness = TickLateness.between(simulatorBefore, simulatorAfter, 100);
        results.put("tick lateness p50 / p99 (the simulator's histogram)", lateness.count() <= 0
                ? "n/a (no livepet_simulator_tick_lateness_seconds in its metrics)"
                : String.format("%s / %s; %.2f%% of %,.0f ticks within 100 ms", lateness.p50(), lateness.p99(),
                lateness.onTimePercent(), lateness.count()));
        for (int i = 0; i < Services.NAMES.length; i++) {
            results.put("CPU / memory: " + Services.NAMES[i], String.format("%.2f cores; %s %,.0f MiB at the end, %,.0f MiB at most",
                    (cpuAfter[i] - cpuBefore[i]) / (double) BenchProcess.CLOCK_TICKS_PER_SECOND / run,
                    i == Services.POSTGRES ? "PSS of all its processes" : "RSS",
                    memoryAfter[i] / 1048576.0, Math.max(maxMemory[i], memoryAfter[i]) / 1048576.0));
        }
        for (ServiceProcess s : List.of(services.persistence(), services.simulator(), services.viewer())) {
            results.put("live heap after the run: " + s.name(), String.format("%,.0f MiB (full GC, every reachable object)",
                    BenchProcess.liveHeap(s.pid()) / 1048576.0));
        }
        results.put("persistence lag: records not committed (end of run / most seen)", String.format("%,d / %,d",
                sum(lagAtEnd, PERSISTENCE_GROUP), Math.max(maxPersistenceLag, sum(lagAtEnd, PERSISTENCE_GROUP))));
        results.put("consumer lag of every group at the end of the run", lagAtEnd.stream()
                .collect(Collectors.groupingBy(PartitionOwners.Row::group, TreeMap::new, Collectors.toList()))
                .entrySet().stream().map(e -> e.getKey() + " " + (e.getValue().stream().allMatch(r -> r.committed() < 0)
                        ? "commits no offsets (reads from the latest)" : String.format("%,d records", sum(e.getValue(), e.getKey()))))
                .collect(Collectors.joining("; ")));
        results.put("PostgreSQL behind pet-state once it settled", String.format("%,d of %,d watched pets' rows below"
                        + " their last event, %,d of %d clocks below their last tick, after %.0f s", rowsBehind[0],
                watchers, rowsBehind[1], settledTicks.size(), rowsBehind[2] / 1000.0));
        results.put("LOST (accepted, never applied)", String.format("%,d", lost));
        results.put("DUPLICATED (applied more often than accepted)", String.format("%,d", duplicated));
        results.put("applied without an accepted answer (the answer failed or timed out)",
                String.format("%,d", ledger.appliedWithoutAnswer()));
        boolean honest = lost == 0 && duplicated == 0 && !broken;
        results.put("VERDICT", honest ? "every accepted feed applied exactly once; every watcher's frames a tick at a time"
                : String.format("lost %,d, duplicated %,d, frames: %,d skipped ticks%s, %,d repeated, %,d out of order",
                lost, duplicated, continuity.skippedTicks(), coalescingAllowed ? " (allowed)" : "",
                continuity.repeats(), continuity.backs()));
        browsers.abortAll();
        return honest;
    }

    private double interval() {
        return BenchProcess.TICK_INTERVAL.toSeconds();
    }

    /** The adopted pets' rows, written by the persistence service: the watchers' pages open from them. */
    private void awaitAdoptedRows(LocalStack stack, PartitionOwners owners) throws Exception {
        long start = System.nanoTime();
        long last = start;
        int stored;
        while ((stored = storedRows(stack)) < watchers) {
            if (BenchProcess.seconds(start) > 1200) {
                throw new IllegalStateException("only " + stored + " of " + watchers + " adopted pets were in PostgreSQL after 20 minutes");
            }
            if (System.nanoTime() - last > 10_000_000_000L) {
                last = System.nanoTime();
                say("  %5.0f s  %,d of %,d adopted pets in PostgreSQL; persistence lag %,d records",
                        BenchProcess.seconds(start), stored, watchers, persistenceLag(owners));
            }
            BenchProcess.sleep(1000);
        }
        say("the adopted pets are in PostgreSQL after %.1f s", BenchProcess.seconds(start));
    }

    private int storedRows(LocalStack stack) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement q = db.prepareStatement("SELECT count(*) FROM pets WHERE id >= ? AND id < ?")) {
            q.setLong(1, ids[0]);
            q.setLong(2, ids[0] + watchers);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /**
     * Once every command is applied (the simulator's group has no lag on pet-commands) and this reader has read
     * pet-state up to its end as it was then, every fed event of the run has been seen; returns those ends.
     */
    private Map<Integer, Long> awaitSettled(PartitionOwners owners, WatchedPetStates stream) throws Exception {
        long start = System.nanoTime();
        while (sum(owners.rows(SIMULATOR_GROUP), SIMULATOR_GROUP) > 0) {
            if (BenchProcess.seconds(start) > 600) {
                throw new IllegalStateException("the simulator had not applied every command 10 minutes after the run");
            }
            BenchProcess.sleep(1000);
        }
        Map<Integer, Long> ends = owners.rows(PERSISTENCE_GROUP).stream()
                .filter(r -> r.partition().topic().equals(Topics.PET_STATE))
                .collect(Collectors.toMap(r -> r.partition().partition(), PartitionOwners.Row::end));
        while (!stream.reached(ends)) {
            if (BenchProcess.seconds(start) > 900) {
                throw new IllegalStateException("the benchmark's pet-state reader did not reach the end within 15 minutes");
            }
            BenchProcess.sleep(500);
        }
        say("settled %.1f s after the run: every command applied, pet-state read to its end", BenchProcess.seconds(start));
        return ends;
    }

    /** The frames of the last fed events: until every matched feed was shown, or 15 s passed without. */
    private void awaitFramesOfAppliedFeeds() {
        long start = System.nanoTime();
        while (fedFrames.unshown() > 0 && BenchProcess.seconds(start) < 15) {
            BenchProcess.sleep(200);
        }
    }

    /**
     * Waits for PostgreSQL to hold the watched pets' last events and the partitions' last ticks as this reader saw
     * them when the stream settled (the world ticks on meanwhile, so a clock may be further); returns the rows and
     * the clocks still behind and the milliseconds waited.
     */
    private long[] awaitRows(LocalStack stack, PartitionOwners owners, long[] versions, Map<Integer, Long> ticks)
            throws Exception {
        long start = System.currentTimeMillis();
        long deadline = start + ROWS_PATIENCE.toMillis();
        long rowsBehind;
        long clocksBehind;
        while (true) {
            rowsBehind = 0;
            clocksBehind = 0;
            try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
                 PreparedStatement q = db.prepareStatement("SELECT id, version FROM pets WHERE id >= ? AND id < ?");
                 PreparedStatement c = db.prepareStatement("SELECT partition, tick FROM partition_clocks")) {
                q.setLong(1, ids[0]);
                q.setLong(2, ids[0] + watchers);
                int found = 0;
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        found++;
                        if (r.getLong(2) < versions[(int) (r.getLong(1) - ids[0])]) {
                            rowsBehind++;
                        }
                    }
                }
                rowsBehind += watchers - found;
                Map<Integer, Long> stored = new HashMap<>();
                try (ResultSet r = c.executeQuery()) {
                    while (r.next()) {
                        stored.put(r.getInt(1), r.getLong(2));
                    }
                }
                clocksBehind = ticks.entrySet().stream().filter(e -> stored.getOrDefault(e.getKey(), 0L) < e.getValue()).count();
            }
            if (rowsBehind + clocksBehind == 0 || System.currentTimeMillis() > deadline) {
                break;
            }
            say("  %,d of %,d watched pets' rows and %,d clocks behind pet-state; persistence lag %,d records", rowsBehind,
                    watchers, clocksBehind, persistenceLag(owners));
            BenchProcess.sleep(2_000);
        }
        return new long[] {rowsBehind, clocksBehind, System.currentTimeMillis() - start};
    }

    /**
     * Sends the feeds as an open loop: feed i at its due time, round robin over the watched pets, each by its owner.
     * A feed that finds every connection of the budget busy waits for one and goes late; it is never dropped, and its
     * latency still counts from when it was due.
     */
    private void feed(HttpClient http, int viewerPort, List<BenchPlayer> owners, OpenLoopSchedule schedule,
                      Semaphore inFlight, long wallStart) {
        for (long i = 0; i < schedule.asked(); i++) {
            long due = schedule.dueNanos(i);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!acquireBeforeGivingUp(inFlight, schedule)) {
                unsent.set(schedule.asked() - i);
                return;
            }
            long sentAt = System.nanoTime();
            if (schedule.late(i, sentAt, lateNanos)) {
                sentLate.incrementAndGet();
            }
            int pet = (int) (i % watchers);
            long dueMillis = wallStart + (due - schedule.dueNanos(0)) / 1_000_000;
            send(http, viewerPort, owners.get(pet % owners.size()), pet, dueMillis, inFlight);
        }
    }

    /** Waits for a free connection, unless the load ended more than {@link #GIVE_UP_AFTER} ago. */
    private static boolean acquireBeforeGivingUp(Semaphore inFlight, OpenLoopSchedule schedule) {
        long grace = GIVE_UP_AFTER.toNanos();
        while (schedule.stillSendable(System.nanoTime(), grace)) {
            try {
                if (inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void send(HttpClient http, int viewerPort, BenchPlayer owner, int i, long dueMillis, Semaphore inFlight) {
        sent.incrementAndGet();
        http.sendAsync(owner.feed(viewerPort, ids[i]), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            inFlight.release();
            if (e != null) {
                failed.incrementAndGet();
                return;
            }
            if (r.statusCode() / 100 == 2) {
                answers.record(System.currentTimeMillis() - dueMillis);
                accepted.incrementAndGet();
                ledger.accepted(r.headers().firstValue(COMMAND_HEADER).orElse(null), dueMillis);
                return;
            }
            refused.incrementAndGet();
            refusedByStatus.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
        });
    }

    /** A watched pet's event from pet-state: adoptions, last versions, and every fed event for the ledger. */
    private void state(PetState state) {
        int i = (int) (state.id() - ids[0]);
        lastVersion.accumulateAndGet(i, state.version(), Math::max);
        if (state.cause() == Cause.ADOPTED) {
            adopted.put(state.id(), state);
            return;
        }
        if (state.cause() != Cause.FED) {
            return;
        }
        fedEvents.incrementAndGet();
        if (state.command() == null) {
            fedWithoutCommand.incrementAndGet();
            return;
        }
        ledger.applied(state.command(), state.id(), state.version(), state.tick());
    }

    private static long persistenceLag(PartitionOwners owners) throws Exception {
        return sum(owners.rows(PERSISTENCE_GROUP), PERSISTENCE_GROUP);
    }

    private static long sum(List<PartitionOwners.Row> rows, String group) {
        return rows.stream().filter(r -> r.group().equals(group)).mapToLong(PartitionOwners.Row::lag).filter(l -> l > 0).sum();
    }

    /** The processes of the world and what /proc says about them, in the order of {@link #NAMES}. */
    private record Services(ServiceProcess persistence, ServiceProcess simulator, ServiceProcess viewer, Path postgresDir,
                            long brokerPid) {
        static final String[] NAMES = {"simulator", "persistence", "viewer", "PostgreSQL", "Kafka broker",
                "bench JVM (browsers, feeds)"};
        static final int POSTGRES = 3;

        long[] cpuTicks() {
            return new long[] {BenchProcess.cpuTicks(simulator.pid()), BenchProcess.cpuTicks(persistence.pid()),
                    BenchProcess.cpuTicks(viewer.pid()), BenchProcess.postgresCpuTicks(postgresDir),
                    BenchProcess.cpuTicks(brokerPid), BenchProcess.cpuTicks(ProcessHandle.current().pid())};
        }

        long[] memoryBytes() {
            return new long[] {BenchProcess.rssBytes(simulator.pid()), BenchProcess.rssBytes(persistence.pid()),
                    BenchProcess.rssBytes(viewer.pid()), BenchProcess.postgresMemoryBytes(postgresDir),
                    BenchProcess.rssBytes(brokerPid), BenchProcess.rssBytes(ProcessHandle.current().pid())};
        }
        static String cores(long[] before, long[] after, double seconds) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < before.length; i++) {
                s.append(i == 0 ? "" : "/").append(String.format("%.2f",
                        (after[i] - before[i]) / (double) BenchProcess.CLOCK_TICKS_PER_SECOND / seconds));
            }
            return s.toString();
        }
    }
}
