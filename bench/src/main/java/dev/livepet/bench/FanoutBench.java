package dev.livepet.bench;

import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
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

import static dev.livepet.bench.BenchLatencies.percentile;
import static dev.livepet.bench.BenchProcess.say;

/**
 * {@code ./livepet bench fanout --watchers N --pets P}: a fresh local stack, one simulator seeding and ticking P − N
 * pets, ONE viewer instance, K players registered and logged in at that viewer over HTTP, N pets adopted for them
 * (adopt commands on pet-commands, as the viewer sends them), and N WebSocket watchers (the JDK's client, in this
 * process), each on its own pet's live page with its owner's session cookie: a living pet is shown only to its owner.
 * Tick-to-browser latency is a tick record's time ({@code at}, read here from pet-state) to the moment the frame of a
 * watched pet at that tick arrives, a frame being (pet, version, tick); an event's frame is timed from the event's
 * {@code at}. Each watcher checks that its frames go a tick at a time. Memory per connection is the viewer's live heap
 * (a full GC, then every reachable object) with the watchers open minus before, over N; CPU is the viewer's from /proc.
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

    // a tick's or an event's time and the arrival of the frame that shows it, by (pet, version, tick)
    private final FrameMatch tickToBrowser = new FrameMatch(this::record);
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final BenchLatencies latencies = new BenchLatencies();
    private final ConcurrentHashMap<Long, PetState> adopted = new ConcurrentHashMap<>();
    // each watched pet's last event, from which each tick record derives the state its frame shows
    private final ConcurrentHashMap<Long, PetState> lastEvents = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, PartitionTick> clocks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Boolean> seenPets = new ConcurrentHashMap<>();
    private final PartitionClocks partitionClocks = new PartitionClocks();
    private volatile long[][] watchedByPartition = new long[0][];

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
                        + " --players K (10) --minutes M (2) --partitions P (240) --settle-seconds S (15)"
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
            Map<String, String> env = BenchProcess.serviceEnvironment(stack);
            // the watched pets are adopted ones: the world holds the seeded and those
            env.put("LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(pets - watchers));
            env.put("LIVEPET_SIMULATOR_INSTANCE_ID", "bench");
            ServiceProcess simulator = ServiceProcess.start(SIMULATOR, home, LocalStackSettings.freePort(), env, logs,
                    dir.resolve("pids"));
            ServiceProcess viewer = null;
            try {
                BenchProcess.awaitReady(simulator, Duration.ofMinutes(10));
                say("simulator ready after %.1f s", BenchProcess.seconds(t0));
                int viewerPort = LocalStackSettings.freePort();
                Map<String, String> viewerEnv = BenchProcess.viewerEnvironment(env, viewerPort);
                viewerEnv.put("LIVEPET_SERVICE_JAVA_OPTS", viewerJavaOptions);
                viewer = ServiceProcess.start(VIEWER, home, viewerPort, viewerEnv, logs, dir.resolve("pids"));
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
                LocalStack.deleteTree(dir);
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

    /**
     * The adopted pets' rows and the partitions' clocks, as the persistence service writes them, so that a watcher's
     * opening finds its pet at its partition's current tick (pets_now).
     */
    private void storeAdoptedRows(LocalStack stack, int partitions) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement insert = db.prepareStatement("INSERT INTO pets (id, owner, name, species, age, hunger,"
                     + " alive, version, cause, changed_at, born_at, tick, partition)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
             PreparedStatement clock = db.prepareStatement("INSERT INTO partition_clocks (partition, partitions, tick,"
                     + " ticked_at, age_per_tick, hunger_per_tick, max_hunger) VALUES (?, ?, ?, ?, ?, ?, ?)"
                     + " ON CONFLICT (partition) DO UPDATE SET tick = EXCLUDED.tick, ticked_at = EXCLUDED.ticked_at"
                     + " WHERE partition_clocks.tick < EXCLUDED.tick")) {
            for (PartitionTick t : clocks.values()) {
                clock.setInt(1, t.partition());
                clock.setInt(2, t.partitions());
                clock.setLong(3, t.tick());
                clock.setTimestamp(4, new Timestamp(t.at()));
                clock.setInt(5, t.agePerTick());
                clock.setInt(6, t.hungerPerTick());
                clock.setInt(7, t.maxHunger());
                clock.addBatch();
            }
            clock.executeBatch();
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
                insert.setLong(12, s.tick());
                insert.setInt(13, PetPartitioner.partitionOf(s.id(), partitions));
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
        WatchedPetStates stream = WatchedPetStates.follow(stack, ids, new WatchedPetStates.Records() {
            @Override
            public void event(PetState event) {
                state(event);
            }

            @Override
            public void tick(PartitionTick tick) {
                ticked(tick);
            }
        });
        watchedByPartition = byPartition(ids, stream.partitions());

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
        storeAdoptedRows(stack, stream.partitions());
        say("%,d pets adopted for them (on pet-state and in the pets table) after %.1f s", watchers, BenchProcess.seconds(t0));

        long heapBefore = BenchProcess.liveHeap(viewer.pid());

        BenchWatchers sockets = new BenchWatchers(this::frame);
        sockets.connect(viewer.port(), ids, owners);
        say("watchers connected: %s; settling %d s", sockets.connectedSummary(watchers), settleSeconds);
        results.put("watchers connected", sockets.connectedSummary(watchers));
        BenchProcess.sleep(settleSeconds * 1000L);

        seenPets.clear();
        sockets.restartContinuity();
        long ticksBefore = stream.ticks();
        long missedBefore = partitionClocks.missed();
        long repeatedBefore = partitionClocks.repeated();
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
                // a tick no frame showed within a minute never will be: counted unshown, no longer kept
                tickToBrowser.forgetStartsBefore(System.currentTimeMillis() - 60_000);
                tickToBrowser.forgetArrivalsBefore(System.currentTimeMillis() - 60_000);
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
        long ticks = stream.ticks() - ticksBefore;
        BenchWatchers.Continuity continuity = sockets.continuity();
        double interval = BenchProcess.TICK_INTERVAL.toSeconds();

        results.put("pets in the world", String.format("%,d = %,d seeded + %,d adopted and watched (each partition's clock"
                + " ticks every %.0f s)", pets, pets - watchers, watchers, interval));
        results.put("players", String.format("%,d, each logged in once, its session on %,d connections", players,
                (watchers + players - 1) / players));
        results.put("run", String.format("%.0f s, after %d s of settling", run, settleSeconds));
        results.put("how fast the world lived", String.format("%,d tick records in %.0f s = %.0f %% of one per partition"
                        + " per %.0f s (%d partitions); %,d tick numbers missed, %,d repeated", ticks, run,
                100 * PartitionClocks.pace(ticks, run, stream.partitions(), interval), interval, stream.partitions(),
                partitionClocks.missed() - missedBefore, partitionClocks.repeated() - repeatedBefore));
        results.put("frames received", String.format("%,d = %,.0f/s (%,d watchers × one tick per %.0f s = %,.0f/s expected)",
                sockets.frames() - framesBefore, (sockets.frames() - framesBefore) / run, sockets.connected(), interval,
                sockets.connected() / interval));
        results.put("watchers' frames tick by tick", String.format("%,d frames of their own pets: %,d skipped ticks"
                        + " (%,d frames), %,d repeated, %,d out of order; %,d watchers saw a break", continuity.frames(),
                continuity.skippedTicks(), continuity.skips(), continuity.repeats(), continuity.backs(),
                continuity.watchersBroken()));
        results.put("viewer's coalescing for slow browsers", BenchProcess.viewerCoalesced(viewer));
        results.put("ticks and events of the run no frame showed", String.format("%,d (the last second's included, whose"
                + " frames may have been on their way)", tickToBrowser.unshown()));
        results.put("watchers that got a frame in the run", String.format("%,d of %,d", seenPets.size(), sockets.connected()));
        results.put("frames refused (no pet card: not the player's pet)", String.format("%,d", sockets.refused()));
        results.put("tick-to-browser p50 / p90 / p99 / max", String.format("%s / %s / %s / %s (%,d frames matched to their state)",
                percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99), percentile(all, 1.0), all.length));
        results.put("viewer live heap before / with the watchers", String.format("%,.1f MiB / %,.1f MiB (full GC, every reachable object)",
                heapBefore / 1048576.0, heapAfter / 1048576.0));
        results.put("memory per connection", String.format("%,.0f bytes", (heapAfter - heapBefore) / (double) Math.max(1, sockets.connected())));
        results.put("viewer CPU", String.format("%.2f cores of %d", viewerCpu, Runtime.getRuntime().availableProcessors()));
        results.put("viewer skipped of pet-state since its start", BenchProcess.viewerSkips(viewer));
        results.put("this process's CPU (broker, watchers, event-time reader)", String.format("%.2f cores", benchCpu));

        sockets.abortAll();
        stream.close();
    }

    /** A watched pet's event: its frame is timed from the event's time. */
    private void state(PetState state) {
        if (state.cause() == Cause.ADOPTED) {
            adopted.put(state.id(), state);
        }
        lastEvents.merge(state.id(), state, (old, now) -> now.version() > old.version() ? now : old);
        if (measuring.get()) {
            tickToBrowser.started(state.id(), state.version(), state.tick(), state.at());
        }
    }

    /** A partition's tick: every living watched pet of it is due a frame at that tick, timed from the tick's time. */
    private void ticked(PartitionTick tick) {
        clocks.merge(tick.partition(), tick, (old, now) -> now.tick() > old.tick() ? now : old);
        partitionClocks.tick(tick.partition(), tick.tick());
        long[][] byPartition = watchedByPartition;
        if (!measuring.get() || tick.partition() >= byPartition.length) {
            return;
        }
        for (long id : byPartition[tick.partition()]) {
            PetState last = lastEvents.get(id);
            if (last != null && last.alive() && tick.tick() > last.tick()) {
                tickToBrowser.started(id, last.version(), tick.tick(), tick.at());
            }
        }
    }

    private void frame(long id, long version, long tick, long arrivedMillis) {
        seenPets.put(id, Boolean.TRUE);
        tickToBrowser.arrived(id, version, tick, arrivedMillis);
    }

    static long[][] byPartition(long[] ids, int partitions) {
        long[][] byPartition = new long[partitions][];
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            byPartition[p] = java.util.Arrays.stream(ids).filter(id -> PetPartitioner.partitionOf(id, partitions) == partition).toArray();
        }
        return byPartition;
    }


    private void record(long latencyMillis) {
        if (measuring.get()) {
            latencies.record(latencyMillis);
        }
    }
}
