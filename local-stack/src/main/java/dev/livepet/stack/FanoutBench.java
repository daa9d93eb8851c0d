package dev.livepet.stack;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.livepet.stack.BenchLatencies.percentile;
import static dev.livepet.stack.BenchProcess.say;

/**
 * {@code ./livepet bench fanout --watchers N --pets P}: a fresh local stack, one simulator seeding and ticking P − N
 * pets, ONE viewer instance, K players registered and logged in at that viewer over HTTP, N pets adopted for them
 * (adopt commands on pet-commands, as the viewer sends them), and N WebSocket watchers (the JDK's client, in this
 * process), each on its own pet's live page with its owner's session cookie: a living pet is shown only to its owner.
 * Tick-to-browser latency is a state's event time (the snapshot's {@code at}, read here from pet-state for the
 * watched pets only) to the moment its fragment arrives; memory per connection is the viewer's live heap (a full
 * GC, then every reachable object) with the watchers open minus before, over N; CPU is the viewer's from /proc.
 */
public final class FanoutBench {
    private static final String SIMULATOR = "simulator-service";
    private static final String VIEWER = "viewer-service";
    private static final long ADOPTED_FROM = BenchPlayer.ADOPTED_FROM;

    private final int watchers;
    private final int pets;
    private final int players;
    private final double minutes;
    private final int partitions;
    private final int settleSeconds;
    private final String viewerJavaOptions;
    private final boolean keep;
    private final Path home;
    private final Map<String, String> results = new LinkedHashMap<>();

    // a state's event time and its frame's arrival, by (pet, version)
    private final FrameMatch tickToBrowser = new FrameMatch(this::record);
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final BenchLatencies latencies = new BenchLatencies();
    private final ConcurrentHashMap<Long, PetState> adopted = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Boolean> seenPets = new ConcurrentHashMap<>();

    private FanoutBench(int watchers, int pets, int players, double minutes, int partitions, int settleSeconds,
                        String viewerJavaOptions, boolean keep, Path home) {
        this.watchers = watchers;
        this.pets = pets;
        this.players = players;
        this.minutes = minutes;
        this.partitions = partitions;
        this.settleSeconds = settleSeconds;
        this.viewerJavaOptions = viewerJavaOptions;
        this.keep = keep;
        this.home = home;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args, "bench fanout", "--watchers N (10000) --pets P (1000000)"
                        + " --players K (10) --minutes M (2) --partitions P (24) --settle-seconds S (15)"
                        + " --viewer-java-opts '…' --keep",
                Set.of("--watchers", "--pets", "--players", "--minutes", "--partitions", "--settle-seconds",
                        "--viewer-java-opts"),
                Set.of("--keep"));
        int watchers = options.integer("--watchers", 10_000);
        int pets = options.integer("--pets", 1_000_000);
        int players = options.integer("--players", 10);
        double minutes = options.number("--minutes", 2);
        int partitions = options.integer("--partitions", Topics.DEFAULT_PARTITIONS);
        int settle = options.integer("--settle-seconds", 15);
        if (watchers < 1 || pets < watchers || players < 1 || minutes <= 0 || partitions < 1 || settle < 0) {
            options.fail("numbers must be positive, and there must be at least as many pets as watchers");
        }
        new FanoutBench(watchers, pets, Math.min(players, watchers), minutes, partitions, settle,
                options.text("--viewer-java-opts", ""), options.flag("--keep"), BenchOptions.home()).run();
    }

    private void run() throws Exception {
        Path dir = BenchProcess.workDirectory("livepet-bench-fanout");
        Path logs = dir.resolve("logs");
        say("benchmark of one viewer instance: %,d watchers on distinct pets of a %,d-pet world, owned by %,d players"
                + " (%,d connections each), %s minutes; data and logs in %s", watchers, pets, players,
                (watchers + players - 1) / players, minutes, dir);
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(new LocalStackSettings(dir.resolve("stack"), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), partitions))) {
            say("Kafka and PostgreSQL ready in %.1f s", BenchProcess.seconds(t0));
            createPetsTable(stack);
            Map<String, String> env = stack.serviceEnvironment();
            // the watched pets are adopted ones: the world holds the seeded and those
            env.put("LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(pets - watchers));
            env.put("LIVEPET_SIMULATOR_INSTANCE_ID", "bench");
            ServiceProcess simulator = ServiceProcess.start(SIMULATOR, home, LocalStackSettings.freePort(), env, logs,
                    dir.resolve("pids"));
            ServiceProcess viewer = null;
            try {
                BenchProcess.awaitReady(simulator, Duration.ofMinutes(10));
                say("simulator ready after %.1f s", BenchProcess.seconds(t0));
                Map<String, String> viewerEnv = BenchProcess.viewerEnvironment(env);
                viewerEnv.put("LIVEPET_SERVICE_JAVA_OPTS", viewerJavaOptions);
                viewer = ServiceProcess.start(VIEWER, home, LocalStackSettings.freePort(), viewerEnv, logs, dir.resolve("pids"));
                BenchProcess.awaitReady(viewer, Duration.ofMinutes(3));
                say("viewer ready");
                measure(stack, viewer);
            } finally {
                if (viewer != null) {
                    viewer.stop();
                }
                simulator.stop();
            }
        } finally {
            if (!keep) {
                BenchProcess.deleteTree(dir);
            }
        }
        BenchProcess.printResults("LivePet fan-out benchmark", results);
    }

    /**
     * The persistence service's schema (its migrations, in order). The service itself does not run: at a million
     * pets it would write 200,000 rows/s on the same cores; the watched pets' rows are written here instead.
     */
    private void createPetsTable(LocalStack stack) throws Exception {
        Path migrations = home.resolve("persistence-service/src/main/resources/db/migration");
        List<Path> files;
        try (var list = Files.list(migrations)) {
            files = list.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted((a, b) -> Integer.compare(migrationVersion(a), migrationVersion(b))).toList();
        }
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             Statement sql = db.createStatement()) {
            for (Path file : files) {
                sql.execute(Files.readString(file));
            }
        }
    }

    private static int migrationVersion(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    /** The adopted pets' rows, as the persistence service writes them, so that a watcher's opening finds its pet. */
    private void storeAdoptedRows(LocalStack stack) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement insert = db.prepareStatement("INSERT INTO pets (id, owner, name, species, age, hunger,"
                     + " alive, version, cause, changed_at, born_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                     + " ON CONFLICT (id) DO NOTHING")) {
            for (PetState s : adopted.values()) {
                insert.setLong(1, s.id());
                insert.setString(2, s.owner());
                insert.setString(3, s.name());
                insert.setString(4, s.species().id());
                insert.setInt(5, s.age());
                insert.setInt(6, s.hunger());
                insert.setBoolean(7, s.alive());
                insert.setLong(8, s.version());
                insert.setString(9, s.cause().id());
                insert.setTimestamp(10, new Timestamp(s.at()));
                insert.setTimestamp(11, new Timestamp(s.at()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void measure(LocalStack stack, ServiceProcess viewer) throws Exception {
        long[] ids = new long[watchers];
        for (int i = 0; i < watchers; i++) {
            ids[i] = ADOPTED_FROM + i;
        }
        WatchedPetStates stream = WatchedPetStates.follow(stack, ids, this::state);

        long t0 = System.nanoTime();
        List<BenchPlayer> owners = BenchPlayer.registerAll(players, viewer.port(), stack);
        say("%,d players registered and logged in at the viewer in %.1f s", owners.size(), BenchProcess.seconds(t0));
        BenchPlayer.adopt(stack, ids, owners);
        while (adopted.size() < watchers) {
            if (BenchProcess.seconds(t0) > 300) {
                throw new IllegalStateException("only " + adopted.size() + " of " + watchers + " adopted pets appeared on pet-state");
            }
            BenchProcess.sleep(200);
        }
        storeAdoptedRows(stack);
        say("%,d pets adopted for them (on pet-state and in the pets table) after %.1f s", watchers, BenchProcess.seconds(t0));

        long heapBefore = BenchProcess.liveHeap(viewer.pid());

        BenchWatchers sockets = new BenchWatchers(this::frame);
        sockets.connect(viewer.port(), ids, owners);
        say("watchers connected: %s; settling %d s", sockets.connectedSummary(watchers), settleSeconds);
        results.put("watchers connected", sockets.connectedSummary(watchers));
        BenchProcess.sleep(settleSeconds * 1000L);

        seenPets.clear();
        long framesBefore = sockets.frames();
        long cpuBefore = BenchProcess.cpuTicks(viewer.pid());
        long benchCpuBefore = BenchProcess.cpuTicks(ProcessHandle.current().pid());
        measuring.set(true);
        long runStart = System.nanoTime();
        long durationNanos = (long) (minutes * 60e9);
        long nextReport = runStart + 10_000_000_000L;
        int reported = 0;
        long lastWindowStart = runStart;
        int lastWindowFrom = 0;
        while (System.nanoTime() - runStart < durationNanos) {
            BenchProcess.sleep(200);
            if (System.nanoTime() >= nextReport) {
                nextReport += 10_000_000_000L;
                int count = latencies.total();
                if (System.nanoTime() - runStart < durationNanos - 30_000_000_000L) {
                    lastWindowStart = System.nanoTime();
                    lastWindowFrom = count;
                }
                long[] window = latencies.snapshot(reported);
                reported = count;
                say("  %5.0f s  frames %,d  this 10 s: p50 %s  p99 %s  open %,d", BenchProcess.seconds(runStart),
                        sockets.frames() - framesBefore, percentile(window, 0.50), percentile(window, 0.99), sockets.open());
            }
        }
        long[] last = latencies.snapshot(lastWindowFrom);
        results.put("tick-to-browser p50 / p99, the last " + Math.round(BenchProcess.seconds(lastWindowStart)) + " s",
                String.format("%s / %s (%,d frames)", percentile(last, 0.50), percentile(last, 0.99), last.length));
        measuring.set(false);
        double run = BenchProcess.seconds(runStart);
        double viewerCpu = (BenchProcess.cpuTicks(viewer.pid()) - cpuBefore) / (double) BenchProcess.CLOCK_TICKS_PER_SECOND / run;
        double benchCpu = (BenchProcess.cpuTicks(ProcessHandle.current().pid()) - benchCpuBefore)
                / (double) BenchProcess.CLOCK_TICKS_PER_SECOND / run;
        long heapAfter = BenchProcess.liveHeap(viewer.pid());
        long[] all = latencies.snapshot(0);

        results.put("pets in the world", String.format("%,d = %,d seeded + %,d adopted and watched (the simulator ticks"
                + " each every 5 s)", pets, pets - watchers, watchers));
        results.put("players", String.format("%,d, each logged in once, its session on %,d connections", players,
                (watchers + players - 1) / players));
        results.put("run", String.format("%.0f s, after %d s of settling", run, settleSeconds));
        results.put("frames received", String.format("%,d = %,.0f/s (%,d watchers × one tick per 5 s = %,.0f/s expected)",
                sockets.frames() - framesBefore, (sockets.frames() - framesBefore) / run, sockets.connected(), sockets.connected() / 5.0));
        results.put("watchers that got a frame in the run", String.format("%,d of %,d", seenPets.size(), sockets.connected()));
        results.put("frames refused (no pet card: not the player's pet)", String.format("%,d", sockets.refused()));
        results.put("tick-to-browser p50 / p90 / p99 / max", String.format("%s / %s / %s / %s (%,d frames matched to their state)",
                percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99), percentile(all, 1.0), all.length));
        results.put("viewer live heap before / with the watchers", String.format("%,.1f MiB / %,.1f MiB (full GC, every reachable object)",
                heapBefore / 1048576.0, heapAfter / 1048576.0));
        results.put("memory per connection", String.format("%,.0f bytes", (heapAfter - heapBefore) / (double) Math.max(1, sockets.connected())));
        results.put("viewer CPU", String.format("%.2f cores of %d", viewerCpu, Runtime.getRuntime().availableProcessors()));
        results.put("viewer skipped of pet-state since its start", BenchProcess.viewerSkips(viewer.port()));
        results.put("this process's CPU (broker, watchers, event-time reader)", String.format("%.2f cores", benchCpu));

        sockets.abortAll();
        stream.close();
    }

    /** The event time of every state of a watched pet, by (pet, version). */
    private void state(PetState state) {
        if (state.cause() == Cause.ADOPTED) {
            adopted.put(state.id(), state);
        }
        tickToBrowser.started(state.id(), state.version(), state.at());
    }

    private void frame(long id, long version, long arrivedMillis) {
        seenPets.put(id, Boolean.TRUE);
        tickToBrowser.arrived(id, version, arrivedMillis);
    }


    private void record(long latencyMillis) {
        if (measuring.get()) {
            latencies.record(latencyMillis);
        }
    }
}
