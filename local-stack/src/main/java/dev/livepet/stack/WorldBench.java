package dev.livepet.stack;

import dev.livepet.contract.Cause;
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
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;

import static dev.livepet.stack.BenchLatencies.percentile;
import static dev.livepet.stack.BenchProcess.say;

/**
 * {@code ./livepet bench world}: the whole world on this machine. A fresh local stack, the three services as
 * their own JVMs (persistence, a simulator seeding and ticking the world, one viewer), K players registered and
 * logged in over HTTP, W pets adopted for them and watched by W WebSocket browsers with their owners' sessions,
 * and F feeds a second through the viewer's Feed button (htmx POST with the CSRF header) spread over the watched
 * pets by their owners. Prints CPU and memory per service, tick lateness, feed-to-browser latency, persistence lag,
 * every group's consumer lag, and checks that every accepted feed was applied exactly once (lost = 0) and that
 * PostgreSQL reaches the watched pets' last versions.
 */
public final class WorldBench {
    private static final String SIMULATOR = "simulator-service";
    private static final String PERSISTENCE = "persistence-service";
    private static final String VIEWER = "viewer-service";
    private static final String PERSISTENCE_GROUP = "livepet-persistence";
    private static final String SIMULATOR_GROUP = "livepet-simulator";
    // the persistence service's default tick lane interval (livepet.persistence.tick-flush-interval)
    private static final Duration TICK_FLUSH = Duration.ofSeconds(60);
    private static final Duration LIMIT_WINDOW = Duration.ofSeconds(10);

    private final int pets;
    private final int watchers;
    private final double feedsPerSecond;
    private final double minutes;
    private final int players;
    private final int partitions;
    private final int settleSeconds;
    private final int inFlightMax;
    private final String viewerJavaOptions;
    private final boolean keep;
    private final Path home;
    private final Map<String, String> results = new LinkedHashMap<>();

    private long[] ids = new long[0];
    // per watched pet (index = id − ADOPTED_FROM): send times of feeds not yet seen applied, oldest first
    private ArrayDeque<Long>[] unapplied;
    private AtomicIntegerArray accepted;
    private AtomicIntegerArray applied;
    private AtomicLongArray lastVersion;
    private final ConcurrentHashMap<Long, PetState> adopted = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> fedCommands = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong fedWithoutFeed = new AtomicLong();
    private final BenchLatencies feedToBrowser = new BenchLatencies();
    // a fed state's feed send time and the arrival of its frame, by (pet, version)
    private final FrameMatch fedFrames = new FrameMatch(feedToBrowser::record);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acceptedTotal = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<Integer, AtomicLong> refusedByStatus = new ConcurrentHashMap<>();
    private final AtomicLong skipped = new AtomicLong();

    private WorldBench(BenchOptions options, Path home) {
        pets = options.integer("--pets", 1_000_000);
        watchers = options.integer("--watchers", 10_000);
        feedsPerSecond = options.number("--feeds-per-second", 1000);
        minutes = options.number("--minutes", 10);
        players = Math.min(options.integer("--players", 10), watchers);
        partitions = options.integer("--partitions", Topics.DEFAULT_PARTITIONS);
        settleSeconds = options.integer("--settle-seconds", 30);
        // 1,000 in flight made this process's HTTP client heavier and the whole world slower on two cores (481 feeds/s)
        inFlightMax = options.integer("--in-flight", Math.min(200, watchers));
        viewerJavaOptions = options.text("--viewer-java-opts", "");
        keep = options.flag("--keep");
        this.home = home;
        if (watchers < 1 || pets < watchers || players < 1 || feedsPerSecond <= 0 || minutes <= 0 || partitions < 1
                || settleSeconds < 0 || inFlightMax < 1) {
            options.fail("numbers must be positive, and there must be at least as many pets as watchers");
        }
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args, "bench world", "--pets N (1000000) --watchers N (10000)"
                        + " --feeds-per-second F (1000) --minutes M (10) --players K (10) --partitions P (24)"
                        + " --settle-seconds S (30) --in-flight K (200) --viewer-java-opts '…' --keep",
                Set.of("--pets", "--watchers", "--feeds-per-second", "--minutes", "--players", "--partitions", "--settle-seconds",
                        "--in-flight", "--viewer-java-opts"),
                Set.of("--keep"));
        new WorldBench(options, BenchOptions.home()).run();
    }

    @SuppressWarnings("unchecked")
    private void run() throws Exception {
        ids = new long[watchers];
        unapplied = new ArrayDeque[watchers];
        for (int i = 0; i < watchers; i++) {
            ids[i] = BenchPlayer.ADOPTED_FROM + i;
            unapplied[i] = new ArrayDeque<>();
        }
        accepted = new AtomicIntegerArray(watchers);
        applied = new AtomicIntegerArray(watchers);
        lastVersion = new AtomicLongArray(watchers);
        Path dir = BenchProcess.workDirectory("livepet-bench-world");
        Path logs = dir.resolve("logs");
        say("the whole world: %,d pets, %,d of them watched by as many browsers of %,d players, %,.0f feeds/s through"
                + " the viewer, %s minutes; data and logs in %s", pets, watchers, players, feedsPerSecond, minutes, dir);
        long t0 = System.nanoTime();
        ServiceProcess persistence = null;
        ServiceProcess simulator = null;
        ServiceProcess viewer = null;
        try (LocalStack stack = LocalStack.start(new LocalStackSettings(dir.resolve("stack"), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), partitions))) {
            say("Kafka and PostgreSQL ready in %.1f s", BenchProcess.seconds(t0));
            Map<String, String> env = stack.serviceEnvironment();
            try {
                // persistence first: its Flyway makes the pets table that the viewer reads
                persistence = ServiceProcess.start(PERSISTENCE, home, LocalStackSettings.freePort(), env, logs, dir.resolve("pids"));
                BenchProcess.awaitReady(persistence, Duration.ofMinutes(3));
                say("persistence ready after %.1f s (tick flush every %d s)", BenchProcess.seconds(t0), TICK_FLUSH.toSeconds());
                Map<String, String> viewerEnv = BenchProcess.viewerEnvironment(env);
                viewerEnv.put("LIVEPET_LIMITS_FEEDS", String.valueOf(feedLimit()));
                viewerEnv.put("LIVEPET_LIMITS_WINDOW", LIMIT_WINDOW.toSeconds() + "s");
                viewerEnv.put("LIVEPET_SERVICE_JAVA_OPTS", viewerJavaOptions);
                viewer = ServiceProcess.start(VIEWER, home, LocalStackSettings.freePort(), viewerEnv, logs, dir.resolve("pids"));
                BenchProcess.awaitReady(viewer, Duration.ofMinutes(3));
                say("viewer ready; its feed rate limit raised for the run to %,d meals per player per %d s"
                        + " (LIVEPET_LIMITS_FEEDS, LIVEPET_LIMITS_WINDOW; the default is 10 per 10 s)", feedLimit(), LIMIT_WINDOW.toSeconds());
                WatchedPetStates stream = WatchedPetStates.follow(stack, ids, this::state);
                List<BenchPlayer> playerList = BenchPlayer.registerAll(players, viewer.port(), stack);
                say("%,d players registered and logged in at the viewer after %.1f s", players, BenchProcess.seconds(t0));
                // adopted before the simulator starts: it applies them while seeding, so they reach PostgreSQL
                // right behind the seeded pets instead of behind minutes of ticks
                BenchPlayer.adopt(stack, ids, playerList);
                Map<String, String> simulatorEnv = new LinkedHashMap<>(env);
                simulatorEnv.put("LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(pets - watchers));
                simulatorEnv.put("LIVEPET_SIMULATOR_INSTANCE_ID", "bench");
                simulator = ServiceProcess.start(SIMULATOR, home, LocalStackSettings.freePort(), simulatorEnv, logs, dir.resolve("pids"));
                BenchProcess.awaitReady(simulator, Duration.ofMinutes(10));
                say("simulator ready (%,d pets seeded) after %.1f s", pets - watchers, BenchProcess.seconds(t0));
                measure(stack, new Services(persistence, simulator, viewer, stack.settings().dataDir().resolve("postgres")),
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
                BenchProcess.deleteTree(dir);
            }
        }
        BenchProcess.printResults("LivePet whole-world load run", results);
    }

    /** Twice what a player sends per window at the asked rate, so that the limit never refuses a feed of the run. */
    private int feedLimit() {
        return (int) Math.max(10, Math.ceil(2 * feedsPerSecond * LIMIT_WINDOW.toSeconds() / players));
    }

    private void measure(LocalStack stack, Services services, WatchedPetStates stream, List<BenchPlayer> playerList)
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

        Map<String, Double> simulatorBefore = BenchProcess.metrics(services.simulator().port());
        long[] cpuBefore = services.cpuTicks();
        long framesBefore = browsers.frames();
        long[] maxMemory = new long[Services.NAMES.length];
        long maxPersistenceLag = 0;
        double maxPendingAge = 0;
        AtomicBoolean feeding = new AtomicBoolean(true);
        Semaphore inFlight = new Semaphore(inFlightMax);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        Thread feeder = new Thread(() -> feed(http, services.viewer().port(), playerList, feeding, inFlight), "feeder");
        long runStart = System.nanoTime();
        feeder.start();
        say("  %6s  %-26s %8s  %-22s  %-44s  %s", "time", "feeds/s sent/accepted/refused", "frames/s",
                "feed→browser p50/p99", "cores sim/persist/viewer/pg/bench", "persistence lag, load");
        long durationNanos = (long) (minutes * 60e9);
        long nextReport = runStart + 10_000_000_000L;
        long lastReport = runStart;
        long[] lastCpu = cpuBefore;
        long[] lastCounts = {0, 0, 0, framesBefore};
        int reported = 0;
        while (System.nanoTime() - runStart < durationNanos) {
            BenchProcess.sleep(200);
            if (System.nanoTime() < nextReport) {
                continue;
            }
            nextReport += 10_000_000_000L;
            long now = System.nanoTime();
            double dt = (now - lastReport) / 1e9;
            lastReport = now;
            long[] cpu = services.cpuTicks();
            long[] counts = {sent.get(), acceptedTotal.get(), refused.get() + failed.get(), browsers.frames()};
            long[] memory = services.memoryBytes();
            for (int i = 0; i < memory.length; i++) {
                maxMemory[i] = Math.max(maxMemory[i], memory[i]);
            }
            long lag = persistenceLag(owners);
            maxPersistenceLag = Math.max(maxPersistenceLag, lag);
            maxPendingAge = Math.max(maxPendingAge, pendingAge(services));
            int count = feedToBrowser.total();
            long[] window = feedToBrowser.snapshot(reported);
            reported = count;
            fedFrames.forgetArrivalsBefore(System.currentTimeMillis() - 120_000);
            say("  %5.0fs  %7.0f / %7.0f / %6.0f   %8.0f  %9s / %-9s  %-44s  %,d, %s", BenchProcess.seconds(runStart),
                    (counts[0] - lastCounts[0]) / dt, (counts[1] - lastCounts[1]) / dt, (counts[2] - lastCounts[2]) / dt,
                    (counts[3] - lastCounts[3]) / dt, percentile(window, 0.5),
                    percentile(window, 0.99), Services.cores(lastCpu, cpu, dt), lag, BenchProcess.loadAverage());
            lastCpu = cpu;
            lastCounts = counts;
        }
        feeding.set(false);
        feeder.join(70_000);
        inFlight.acquire(inFlightMax); // every answer is in
        double run = BenchProcess.seconds(runStart);
        long[] cpuAfter = services.cpuTicks();
        long[] memoryAfter = services.memoryBytes();
        Map<String, Double> simulatorAfter = BenchProcess.metrics(services.simulator().port());
        long framesAfter = browsers.frames();
        List<PartitionOwners.Row> lagAtEnd = owners.rows(null);
        double pendingAgeAtEnd = pendingAge(services);
        say("feeding stopped after %.0f s; waiting for the simulator to apply every feed and this reader to catch up", run);

        Map<Integer, Long> ends = awaitSettled(owners, stream);
        BenchProcess.sleep(5_000); // the frames of the last fed states
        long[] lostAndExtra = lostAndExtra();
        int unmatched = fedFrames.unshown();
        long[] settledVersions = new long[watchers];
        for (int i = 0; i < watchers; i++) {
            settledVersions[i] = lastVersion.get(i);
        }
        long[] rowsBehind = awaitRows(stack, owners, settledVersions);
        stream.close();

        results.put("world", String.format("%,d pets = %,d seeded + %,d adopted and watched, %,d players (%,d watched pets"
                        + " each), %d partitions, one instance of each service", pets, pets - watchers, watchers, players,
                (watchers + players - 1) / players, partitions));
        results.put("watchers connected", browsers.connectedSummary(watchers));
        results.put("feed rate limit (raised for the run)", String.format("LIVEPET_LIMITS_FEEDS=%d LIVEPET_LIMITS_WINDOW=%ds"
                + " (default 10 per 10 s)", feedLimit(), LIMIT_WINDOW.toSeconds()));
        results.put("run", String.format("%.0f s of feeding after %d s of settling; pet-state settled at offsets summing"
                + " to %,d", run, settleSeconds, ends.values().stream().mapToLong(Long::longValue).sum()));
        results.put("feeds sent / accepted (200) / refused / failed", String.format("%,d / %,d / %,d %s / %,d (%,.0f sent/s,"
                        + " %,.0f accepted/s for %,.0f asked; %,d not sent: %d in flight at most)", sent.get(), acceptedTotal.get(),
                refused.get(), refusedByStatus, failed.get(), sent.get() / run, acceptedTotal.get() / run, feedsPerSecond,
                skipped.get(), inFlightMax));
        long[] all = feedToBrowser.snapshot(0);
        results.put("feed-to-browser p50 / p90 / p99 / max", String.format("%s / %s / %s / %s (%,d fed states seen in a frame)",
                percentile(all, 0.5), percentile(all, 0.9), percentile(all, 0.99),
                percentile(all, 1.0), all.length));
        results.put("fed states no frame showed 5 s after the stream settled", String.format("%,d (coalesced away by a"
                + " newer state, or the viewer still behind pet-state)", unmatched));
        results.put("viewer skipped of pet-state since its start", BenchProcess.viewerSkips(services.viewer().port()));
        results.put("frames received", String.format("%,d = %,.0f/s (%,d watchers × a tick per 5 s = %,.0f/s, plus the feeds);"
                + " %,d refused", framesAfter - framesBefore, (framesAfter - framesBefore) / run, browsers.connected(),
                browsers.connected() / 5.0, browsers.refused()));
        TickLateness lateness = TickLateness.between(simulatorBefore, simulatorAfter, 100);
        results.put("tick lateness p50 / p99 (histogram over the run) / max (last 2 min)", String.format("%s / %s / %.0f ms;"
                        + " %.2f%% of %,.0f slices within 100 ms", lateness.p50(), lateness.p99(),
                1000 * simulatorAfter.getOrDefault("livepet_simulator_tick_lateness_seconds_max", 0.0),
                lateness.onTimePercent(), lateness.count()));
        double published = TickLateness.delta(simulatorBefore, simulatorAfter,
                "livepet_simulator_records_published_total{topic=\"pet-state\"}") / run;
        results.put("states published (how fast the world lived)", String.format("%,.0f/s, ticks and feeds, for %,d pets"
                        + " (a tick of every pet every 5 s is %,.0f/s: %.0f %%); %,.0f whole intervals skipped while behind",
                published, pets, pets / 5.0, 100 * published / (pets / 5.0),
                TickLateness.delta(simulatorBefore, simulatorAfter, "livepet_simulator_tick_skips_total")));
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
        results.put("persistence tick lane pending age (end of run / most seen)", String.format("%.0f s / %.0f s",
                pendingAgeAtEnd, Math.max(maxPendingAge, pendingAgeAtEnd)));
        results.put("consumer lag of every group at the end of the run", lagAtEnd.stream()
                .collect(Collectors.groupingBy(PartitionOwners.Row::group, TreeMap::new, Collectors.toList()))
                .entrySet().stream().map(e -> e.getKey() + " " + (e.getValue().stream().allMatch(r -> r.committed() < 0)
                        ? "commits no offsets (reads from the latest)" : String.format("%,d records", sum(e.getValue(), e.getKey()))))
                .collect(Collectors.joining("; ")));
        results.put("LOST (accepted, never applied)", String.format("%,d", lostAndExtra[0]));
        results.put("DUPLICATED (a feed applied more than once)", String.format("%,d", duplicates.get()));
        results.put("applied without a 200 (answer failed or timed out)", String.format("%,d (%,d fed states found no send"
                + " left to match)", lostAndExtra[1], fedWithoutFeed.get()));
        results.put("PostgreSQL rows of the watched pets behind pet-state", String.format("%,d of %,d after %.0f s"
                + " (waited up to the tick flush interval + 60 s)", rowsBehind[0], watchers, rowsBehind[1] / 1000.0));
        browsers.abortAll();
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
     * pet-state up to its end as it was then, every fed state of the run has been seen; returns those ends.
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

    /** Lost: accepted feeds never applied; extra: fed states beyond the 200s (answers that failed after the send). */
    private long[] lostAndExtra() {
        long lost = 0;
        long extra = 0;
        for (int i = 0; i < watchers; i++) {
            int difference = accepted.get(i) - applied.get(i);
            if (difference > 0) {
                lost += difference;
            } else {
                extra -= difference;
            }
        }
        return new long[] {lost, extra};
    }

    /**
     * Waits for the persistence service's tick flush to write the watched pets' versions as this reader saw them
     * when the stream settled (the world ticks on meanwhile); returns the rows still behind and the milliseconds waited.
     */
    private long[] awaitRows(LocalStack stack, PartitionOwners owners, long[] versions) throws Exception {
        long start = System.currentTimeMillis();
        long deadline = start + TICK_FLUSH.toMillis() + 60_000;
        long behind;
        while (true) {
            behind = 0;
            try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
                 PreparedStatement q = db.prepareStatement("SELECT id, version FROM pets WHERE id >= ? AND id < ?")) {
                q.setLong(1, ids[0]);
                q.setLong(2, ids[0] + watchers);
                int found = 0;
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        found++;
                        if (r.getLong(2) < versions[(int) (r.getLong(1) - ids[0])]) {
                            behind++;
                        }
                    }
                }
                behind += watchers - found;
            }
            if (behind == 0 || System.currentTimeMillis() > deadline) {
                break;
            }
            say("  %,d of %,d watched pets' rows behind pet-state; persistence lag %,d records", behind, watchers,
                    persistenceLag(owners));
            BenchProcess.sleep(10_000);
        }
        return new long[] {behind, System.currentTimeMillis() - start};
    }

    /** Sends the feeds: F a second round robin over the watched pets, each by its owner, at most inFlightMax unanswered. */
    private void feed(HttpClient http, int viewerPort, List<BenchPlayer> owners, AtomicBoolean feeding, Semaphore inFlight) {
        long start = System.nanoTime();
        long done = 0;
        int next = 0;
        try {
            while (feeding.get()) {
                long due = (long) (BenchProcess.seconds(start) * feedsPerSecond);
                if (due - done > feedsPerSecond) {
                    // more than a second behind (the answers are slow): those feeds are not sent at all
                    skipped.addAndGet(due - done - (long) feedsPerSecond);
                    done = due - (long) feedsPerSecond;
                }
                while (done < due && feeding.get()) {
                    if (!inFlight.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    int i = next;
                    next = (next + 1) % watchers;
                    done++;
                    send(http, viewerPort, owners.get(i % owners.size()), i, inFlight);
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(HttpClient http, int viewerPort, BenchPlayer owner, int i, Semaphore inFlight) {
        Long sentAt = System.currentTimeMillis();
        synchronized (unapplied[i]) {
            unapplied[i].addLast(sentAt);
        }
        sent.incrementAndGet();
        http.sendAsync(owner.feed(viewerPort, ids[i]), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            inFlight.release();
            if (e == null && r.statusCode() == 200) {
                accepted.incrementAndGet(i);
                acceptedTotal.incrementAndGet();
                return;
            }
            if (e == null) {
                refused.incrementAndGet();
                refusedByStatus.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            synchronized (unapplied[i]) {
                unapplied[i].removeFirstOccurrence(sentAt);
            }
        });
    }

    /** A watched pet's state from pet-state: adoptions, applied feeds (matched to their sends), last versions. */
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
        if (state.command() != null && fedCommands.putIfAbsent(state.command(), Boolean.TRUE) != null) {
            duplicates.incrementAndGet();
            return;
        }
        applied.incrementAndGet(i);
        Long sentAt;
        synchronized (unapplied[i]) {
            sentAt = unapplied[i].pollFirst();
        }
        if (sentAt == null) {
            fedWithoutFeed.incrementAndGet();
            return;
        }
        fedFrames.started(state.id(), state.version(), sentAt);
    }

    private static long persistenceLag(PartitionOwners owners) throws Exception {
        return sum(owners.rows(PERSISTENCE_GROUP), PERSISTENCE_GROUP);
    }

    private static long sum(List<PartitionOwners.Row> rows, String group) {
        return rows.stream().filter(r -> r.group().equals(group)).mapToLong(PartitionOwners.Row::lag).filter(l -> l > 0).sum();
    }

    private static double pendingAge(Services services) {
        return BenchProcess.metrics(services.persistence().port()).entrySet().stream()
                .filter(e -> e.getKey().startsWith("livepet_persistence_tick_pending_age_seconds"))
                .mapToDouble(Map.Entry::getValue).max().orElse(0);
    }

    /** The processes of the world and what /proc says about them, in the order of {@link #NAMES}. */
    private record Services(ServiceProcess persistence, ServiceProcess simulator, ServiceProcess viewer, Path postgresDir) {
        static final String[] NAMES = {"simulator", "persistence", "viewer", "PostgreSQL", "bench JVM (Kafka broker, browsers, feeds)"};
        static final int POSTGRES = 3;

        long[] cpuTicks() {
            return new long[] {BenchProcess.cpuTicks(simulator.pid()), BenchProcess.cpuTicks(persistence.pid()),
                    BenchProcess.cpuTicks(viewer.pid()), BenchProcess.postgresCpuTicks(postgresDir),
                    BenchProcess.cpuTicks(ProcessHandle.current().pid())};
        }

        long[] memoryBytes() {
            return new long[] {BenchProcess.rssBytes(simulator.pid()), BenchProcess.rssBytes(persistence.pid()),
                    BenchProcess.rssBytes(viewer.pid()), BenchProcess.postgresMemoryBytes(postgresDir),
                    BenchProcess.rssBytes(ProcessHandle.current().pid())};
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
