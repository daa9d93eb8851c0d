package dev.livepet.stack;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern PET = Pattern.compile("data-pet-id=\"(\\d+)\"");
    private static final Pattern VERSION = Pattern.compile("version (\\d+)<");
    private static final int CONNECTING_AT_ONCE = 200;
    // where the viewer's adopted pet ids begin (NewPetId.FIRST): above every seeded id
    private static final long ADOPTED_FROM = 1L << 32;

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

    // (pet, version) → the state's event time or, if the frame came first, its arrival, both in epoch millis
    private final ConcurrentHashMap<Long, Long> eventTimes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final List<long[]> latencyChunks = new ArrayList<>();
    private long[] latencies = new long[1 << 16];
    private int latencyCount;
    private final AtomicLong frames = new AtomicLong();
    // frames without a pet card: the viewer refused to show the pet to this player
    private final AtomicLong refusedFrames = new AtomicLong();
    private final ConcurrentHashMap<Long, PetState> adopted = new ConcurrentHashMap<>();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final ConcurrentHashMap<Long, Boolean> seenPets = new ConcurrentHashMap<>();
    private volatile long[] watched = new long[0];

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
        Path home = Path.of(System.getProperty("livepet.home", ".")).toAbsolutePath().normalize();
        int watchers = 10_000;
        int pets = 1_000_000;
        int players = 10;
        double minutes = 2;
        int partitions = Topics.DEFAULT_PARTITIONS;
        int settle = 15;
        String javaOptions = "";
        boolean keep = false;
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String option = list.get(i);
            if (option.equals("--keep")) {
                keep = true;
                continue;
            }
            if (i + 1 >= list.size()) {
                usage("option " + option + " needs a value");
            }
            String value = list.get(++i);
            try {
                switch (option) {
                    case "--watchers" -> watchers = Integer.parseInt(value);
                    case "--pets" -> pets = Integer.parseInt(value);
                    case "--players" -> players = Integer.parseInt(value);
                    case "--minutes" -> minutes = Double.parseDouble(value);
                    case "--partitions" -> partitions = Integer.parseInt(value);
                    case "--settle-seconds" -> settle = Integer.parseInt(value);
                    case "--viewer-java-opts" -> javaOptions = value;
                    default -> usage("unknown option " + option);
                }
            } catch (NumberFormatException e) {
                usage(option + " needs a number, not " + value);
            }
        }
        if (watchers < 1 || pets < watchers || players < 1 || minutes <= 0 || partitions < 1 || settle < 0) {
            usage("numbers must be positive, and there must be at least as many pets as watchers");
        }
        new FanoutBench(watchers, pets, Math.min(players, watchers), minutes, partitions, settle, javaOptions, keep, home).run();
    }

    private static void usage(String problem) {
        System.err.println("livepet bench fanout: " + problem);
        System.err.println("options: --watchers N (10000) --pets P (1000000) --players K (10) --minutes M (2) --partitions P (24)"
                + " --settle-seconds S (15) --viewer-java-opts '…' --keep");
        System.exit(2);
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("livepet-bench-fanout");
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        System.setProperty("org.slf4j.simpleLogger.logFile", logs.resolve("stack.log").toString());
        say("benchmark of one viewer instance: %,d watchers on distinct pets of a %,d-pet world, owned by %,d players"
                + " (%,d connections each), %s minutes; data and logs in %s", watchers, pets, players,
                (watchers + players - 1) / players, minutes, dir);
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(new LocalStackSettings(dir.resolve("stack"), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), partitions))) {
            say("Kafka and PostgreSQL ready in %.1f s", BenchProcess.seconds(t0));
            createPetsTable(stack);
            Map<String, String> env = BenchProcess.environment(stack);
            // the watched pets are adopted ones: the world holds the seeded and those
            env.put("LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(pets - watchers));
            env.put("LIVEPET_SIMULATOR_INSTANCE_ID", "bench");
            ServiceProcess simulator = ServiceProcess.start(SIMULATOR, home, LocalStackSettings.freePort(), env, logs,
                    dir.resolve("pids"));
            ServiceProcess viewer = null;
            try {
                BenchProcess.awaitReady(simulator, Duration.ofMinutes(10));
                say("simulator ready after %.1f s", BenchProcess.seconds(t0));
                Map<String, String> viewerEnv = new LinkedHashMap<>(env);
                viewerEnv.put("LIVEPET_SERVICE_JAVA_OPTS", viewerJavaOptions);
                // accounts as in a local world: mail stays in the process, one session key for the run
                viewerEnv.put("QUARKUS_MAILER_MOCK", "true");
                byte[] sessionKey = new byte[32];
                new SecureRandom().nextBytes(sessionKey);
                viewerEnv.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", HexFormat.of().formatHex(sessionKey));
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
        System.out.println();
        System.out.println("LivePet fan-out benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", load average " + BenchProcess.loadAverage());
        int width = results.keySet().stream().mapToInt(String::length).max().orElse(10);
        results.forEach((k, v) -> System.out.printf("  %-" + width + "s  %s%n", k, v));
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

    /** Players registered and logged in at the viewer, as browsers do it. */
    private List<BenchPlayer> registerPlayers(LocalStack stack, ServiceProcess viewer) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<BenchPlayer> registered = new ArrayList<>(players);
        for (int i = 0; i < players; i++) {
            registered.add(BenchPlayer.register(http, viewer.port(), stack));
        }
        return registered;
    }

    /** Adopts the watched pets for their players, as the viewer's adopt form does; completes when the broker has them. */
    private void adopt(LocalStack stack, long[] ids, List<BenchPlayer> owners) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5);
        Species[] species = Species.values();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < ids.length; i++) {
                AdoptCommand adoption = new AdoptCommand(UUID.randomUUID().toString(), ids[i],
                        owners.get(i % owners.size()).id(), "Bench pet " + (i + 1), species[i % species.length]);
                producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetPartitioner.key(ids[i]), PetJson.writeString(adoption)));
            }
            producer.flush();
        }
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
        watched = ids;
        AtomicBoolean consuming = new AtomicBoolean(true);
        CountDownLatch reading = new CountDownLatch(1);
        Thread stream = new Thread(() -> readEventTimes(stack, consuming, reading), "pet-state-event-times");
        stream.setDaemon(true);
        stream.start();
        if (!reading.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the benchmark's pet-state reader did not start");
        }

        long t0 = System.nanoTime();
        List<BenchPlayer> owners = registerPlayers(stack, viewer);
        say("%,d players registered and logged in at the viewer in %.1f s", owners.size(), BenchProcess.seconds(t0));
        adopt(stack, ids, owners);
        while (adopted.size() < watchers) {
            if (BenchProcess.seconds(t0) > 300) {
                throw new IllegalStateException("only " + adopted.size() + " of " + watchers + " adopted pets appeared on pet-state");
            }
            BenchProcess.sleep(200);
        }
        storeAdoptedRows(stack);
        say("%,d pets adopted for them (on pet-state and in the pets table) after %.1f s", watchers, BenchProcess.seconds(t0));

        long heapBefore = BenchProcess.liveHeap(viewer.pid());

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<WebSocket> sockets = new ArrayList<>(watchers);
        Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
        long start = System.nanoTime();
        long lastPrint = start;
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            connecting.acquire();
            pending.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60))
                    .header("Cookie", owners.get(i % owners.size()).cookieHeader())
                    .buildAsync(URI.create("ws://127.0.0.1:" + viewer.port() + "/pets/" + ids[i] + "/live"), new Watcher())
                    .whenComplete((ws, failure) -> {
                        connecting.release();
                        if (failure != null) {
                            firstFailure.compareAndSet(null, failure.toString());
                        }
                    }));
            if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                lastPrint = System.nanoTime();
                say("  %5.1f s  %,d of %,d watchers connected", BenchProcess.seconds(start), open.get(), watchers);
            }
        }
        int failed = 0;
        for (CompletableFuture<WebSocket> p : pending) {
            try {
                sockets.add(p.get(120, TimeUnit.SECONDS));
            } catch (Exception e) {
                failed++;
            }
        }
        double connectSeconds = BenchProcess.seconds(start);
        say("%,d watchers connected in %.1f s (%d failed%s); settling %d s", sockets.size(), connectSeconds, failed,
                failed > 0 ? ", the first: " + firstFailure.get() : "", settleSeconds);
        results.put("watchers connected", String.format("%,d of %,d in %.1f s (%,.0f/s), %d failed", sockets.size(),
                watchers, connectSeconds, sockets.size() / connectSeconds, failed));
        BenchProcess.sleep(settleSeconds * 1000L);

        seenPets.clear();
        long framesBefore = frames.get();
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
                int count = latencyTotal();
                if (System.nanoTime() - runStart < durationNanos - 30_000_000_000L) {
                    lastWindowStart = System.nanoTime();
                    lastWindowFrom = count;
                }
                long[] window = latencySnapshot(reported);
                reported = count;
                say("  %5.0f s  frames %,d  this 10 s: p50 %s  p99 %s  open %,d", BenchProcess.seconds(runStart),
                        frames.get() - framesBefore, percentile(window, 0.50), percentile(window, 0.99), open.get());
            }
        }
        long[] last = latencySnapshot(lastWindowFrom);
        results.put("tick-to-browser p50 / p99, the last " + Math.round(BenchProcess.seconds(lastWindowStart)) + " s",
                String.format("%s / %s (%,d frames)", percentile(last, 0.50), percentile(last, 0.99), last.length));
        measuring.set(false);
        double run = BenchProcess.seconds(runStart);
        double viewerCpu = (BenchProcess.cpuTicks(viewer.pid()) - cpuBefore) / (double) BenchProcess.CLOCK_TICKS_PER_SECOND / run;
        double benchCpu = (BenchProcess.cpuTicks(ProcessHandle.current().pid()) - benchCpuBefore)
                / (double) BenchProcess.CLOCK_TICKS_PER_SECOND / run;
        long heapAfter = BenchProcess.liveHeap(viewer.pid());
        long[] all = latencySnapshot(0);

        results.put("pets in the world", String.format("%,d = %,d seeded + %,d adopted and watched (the simulator ticks"
                + " each every 5 s)", pets, pets - watchers, watchers));
        results.put("players", String.format("%,d, each logged in once, its session on %,d connections", players,
                (watchers + players - 1) / players));
        results.put("run", String.format("%.0f s, after %d s of settling", run, settleSeconds));
        results.put("frames received", String.format("%,d = %,.0f/s (%,d watchers × one tick per 5 s = %,.0f/s expected)",
                frames.get() - framesBefore, (frames.get() - framesBefore) / run, sockets.size(), sockets.size() / 5.0));
        results.put("watchers that got a frame in the run", String.format("%,d of %,d", seenPets.size(), sockets.size()));
        results.put("frames refused (no pet card: not the player's pet)", String.format("%,d", refusedFrames.get()));
        results.put("tick-to-browser p50 / p90 / p99 / max", String.format("%s / %s / %s / %s (%,d frames matched to their state)",
                percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99), percentile(all, 1.0), all.length));
        results.put("viewer live heap before / with the watchers", String.format("%,.1f MiB / %,.1f MiB (full GC, every reachable object)",
                heapBefore / 1048576.0, heapAfter / 1048576.0));
        results.put("memory per connection", String.format("%,.0f bytes", (heapAfter - heapBefore) / (double) Math.max(1, sockets.size())));
        results.put("viewer CPU", String.format("%.2f cores of %d", viewerCpu, Runtime.getRuntime().availableProcessors()));
        results.put("this process's CPU (broker, watchers, event-time reader)", String.format("%.2f cores", benchCpu));

        for (WebSocket socket : sockets) {
            socket.abort();
        }
        consuming.set(false);
        stream.join(10_000);
    }

    /** The event time of every state of a watched pet, by (pet, version); the key decides before any parsing. */
    private void readEventTimes(LocalStack stack, AtomicBoolean consuming, CountDownLatch reading) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            // every partition from its end, fixed before the adoptions are sent, so that none of their states is missed
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PET_STATE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            reading.countDown();
            while (consuming.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    long id;
                    try {
                        id = Long.parseLong(r.key());
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (Arrays.binarySearch(watched, id) < 0) {
                        continue;
                    }
                    PetState state = PetJson.state(r.value());
                    if (state.cause() == Cause.ADOPTED) {
                        adopted.put(id, state);
                    }
                    long key = key(id, state.version());
                    Long arrived = arrivals.remove(key);
                    if (arrived != null) {
                        record(arrived - state.at());
                    } else {
                        eventTimes.put(key, state.at());
                    }
                }
            }
        }
    }

    private void frame(String fragment, long arrivedMillis) {
        Matcher pet = PET.matcher(fragment);
        Matcher version = VERSION.matcher(fragment);
        if (!pet.find() || !version.find()) {
            refusedFrames.incrementAndGet();
            return;
        }
        frames.incrementAndGet();
        long id = Long.parseLong(pet.group(1));
        seenPets.put(id, Boolean.TRUE);
        long key = key(id, Long.parseLong(version.group(1)));
        Long at = eventTimes.remove(key);
        if (at != null) {
            record(arrivedMillis - at);
        } else {
            arrivals.put(key, arrivedMillis);
        }
    }

    private static long key(long petId, long version) {
        return (petId << 24) ^ (version & 0xFFFFFF);
    }

    private synchronized void record(long latencyMillis) {
        if (!measuring.get()) {
            return;
        }
        if (latencyCount == latencies.length) {
            latencyChunks.add(latencies);
            latencies = new long[latencies.length];
            latencyCount = 0;
        }
        latencies[latencyCount++] = latencyMillis;
    }

    private synchronized int latencyTotal() {
        return latencyChunks.size() * latencies.length + latencyCount;
    }

    /** The latencies recorded after the first {@code from}, sorted. */
    private synchronized long[] latencySnapshot(int from) {
        long[] all = new long[latencyTotal()];
        int at = 0;
        for (long[] chunk : latencyChunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        System.arraycopy(latencies, 0, all, at, latencyCount);
        long[] since = Arrays.copyOfRange(all, Math.min(from, all.length), all.length);
        Arrays.sort(since);
        return since;
    }

    private static String percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return "n/a";
        }
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[index] + " ms";
    }

    /** One browser: collects a fragment's parts, then records it. */
    private final class Watcher implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            open.incrementAndGet();
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frame(text.toString(), System.currentTimeMillis());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            open.decrementAndGet();
            closed.incrementAndGet();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            open.decrementAndGet();
            closed.incrementAndGet();
        }
    }

}
