package dev.livepet.bench;

import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.livepet.bench.BenchProcess.CLOCK_TICKS_PER_SECOND;
import static dev.livepet.bench.BenchProcess.cpuTicks;
import static dev.livepet.stack.LocalStack.deleteTree;
import static dev.livepet.bench.BenchProcess.loadAverage;
import static dev.livepet.bench.BenchProcess.metrics;
import static dev.livepet.bench.BenchProcess.say;
import static dev.livepet.bench.BenchProcess.seconds;
import static dev.livepet.bench.BenchProcess.sleep;

/**
 * {@code ./livepet bench persistence --pets N --minutes M}: one persistence-service process against a fresh local
 * stack in a temporary folder, fed by a plain (non-transactional, acks=all) producer playing an N-pet world on
 * pet-state as the simulator writes it: first every pet adopted at once (a backlog of N events: events upserted per
 * second), then M minutes of the world living, each partition's clock ticking once per tick interval and F feeds a
 * second as fed events. Measures events upserted per second, how soon an event's row and a tick's clock are visible
 * in PostgreSQL (polled for marker pets and for the clocks), consumer lag, and CPU per event. Then compares, on the
 * same PostgreSQL through JDBC, the UNNEST upsert with binary COPY into a staging table plus one merge, and the
 * original's one UPDATE per pet per tick.
 */
public final class PersistenceBench {
    private static final String SERVICE = "persistence-service";
    private static final String GROUP = "livepet-persistence";
    private static final long TICK_MILLIS = BenchProcess.TICK_INTERVAL.toMillis();
    private static final int SLOTS = 50; // the tick interval cut into slots of a tenth of a second
    private static final int CHUNK = 10_000;
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L; // 2000-01-01T00:00Z in Unix microseconds
    private static final TickRule RULE = new TickRule(1, 5, 500); // the world's default rule numbers
    private static final int MEAL = 100;
    private static final int INITIAL_HUNGER = 250;

    private final int pets;
    private final double minutes;
    private final int partitions;
    private final int feedsPerSecond;
    private final int originalSample;
    private final String javaOptions;
    private final boolean keep;
    private final boolean skipSql;
    private final boolean onlySql;
    private final Path home;
    private final Map<String, String> results = new LinkedHashMap<>();

    // the world, owned by the producing thread: each pet's last event, each partition's clock
    private final long[] version;
    private final int[] age;
    private final int[] hunger;
    private final long[] eventTick;
    private final long[] clock;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final Map<Long, long[]> markers = new ConcurrentHashMap<>(); // pet -> {version, published nanos}
    private final Map<Integer, long[]> clockMarkers = new ConcurrentHashMap<>(); // partition -> {tick, published nanos}
    private final AtomicLong unseenMarkers = new AtomicLong();
    private final List<Long> visibilityMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Long> clockVisibilityMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    private CpuMeter cpu; // the machine is shared: CPU seconds per event say what wall-clock rates cannot

    private PersistenceBench(int pets, double minutes, int partitions, int feedsPerSecond, int originalSample,
                             String javaOptions, boolean keep, boolean skipSql, boolean onlySql, Path home) {
        this.pets = pets;
        this.minutes = minutes;
        this.partitions = partitions;
        this.feedsPerSecond = feedsPerSecond;
        this.originalSample = originalSample;
        this.javaOptions = javaOptions;
        this.keep = keep;
        this.skipSql = skipSql;
        this.onlySql = onlySql;
        this.home = home;
        this.version = new long[pets + 1];
        this.age = new int[pets + 1];
        this.hunger = new int[pets + 1];
        this.eventTick = new long[pets + 1];
        this.clock = new long[partitions];
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args, "bench persistence", "--pets N (1000000) --minutes M (2)"
                        + " --partitions P (240) --feeds-per-second F (1000)"
                        + " --original-sample K (20000) --java-opts '-Xmx2g' --skip-sql --only-sql --keep",
                Set.of("--pets", "--minutes", "--partitions", "--feeds-per-second", "--original-sample", "--java-opts"),
                Set.of("--keep", "--skip-sql", "--only-sql"));
        int pets = options.integer("--pets", 1_000_000);
        double minutes = options.number("--minutes", 2);
        int partitions = options.integer("--partitions", Topics.DEFAULT_PARTITIONS);
        int feeds = options.integer("--feeds-per-second", 1_000);
        int original = options.integer("--original-sample", 20_000);
        if (pets < 1 || minutes <= 0 || partitions < 1 || feeds < 0 || original < 0) {
            options.fail("numbers must be positive");
        }
        new PersistenceBench(pets, minutes, partitions, feeds, original, options.text("--java-opts", "-Xmx2g"),
                options.flag("--keep"), options.flag("--skip-sql"), options.flag("--only-sql"), BenchOptions.home()).run();
    }

    private void run() throws Exception {
        Path dir = BenchProcess.workDirectory("livepet-bench-persistence");
        Path logs = dir.resolve("logs");
        say("benchmark of one persistence instance: %,d pets, %s minutes, %d partitions, %,d feeds/s, a tick of every"
                + " partition every %d s; data and logs in %s", pets, minutes, partitions, feedsPerSecond,
                TICK_MILLIS / 1000, dir);
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(new LocalStackSettings(dir.resolve("stack"), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), partitions))) {
            say("Kafka and PostgreSQL ready in %.1f s", seconds(t0));
            Map<String, String> env = BenchProcess.serviceEnvironment(stack);
            env.put("LIVEPET_SERVICE_JAVA_OPTS", javaOptions);
            int port = LocalStackSettings.freePort();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()));
                 KafkaProducer<byte[], byte[]> producer = producer(stack)) {
                awaitLeaders(admin);
                if (!onlySql) {
                    publishAdoptions(producer);
                }
                ServiceProcess service = ServiceProcess.start(SERVICE, home, port, env, logs, dir.resolve("pids"));
                cpu = new CpuMeter(service.pid(), dir.resolve("stack").resolve("postgres"));
                try {
                    awaitReady(service); // its Flyway made the pets table, which the SQL comparison copies
                    if (!onlySql) {
                        writeAdoptions(admin, stack);
                        liveWorld(producer, admin, service, stack);
                    }
                } finally {
                    service.stop();
                }
            }
            if (!skipSql) {
                compareWrites(stack);
            }
        } finally {
            if (!keep) {
                deleteTree(dir);
            }
        }
        say("results (%s, %d cores):", Instant.now(), Runtime.getRuntime().availableProcessors());
        results.forEach((k, v) -> System.out.printf("  %-58s %s%n", k, v));
    }

    private static KafkaProducer<byte[], byte[]> producer(LocalStack stack) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void awaitReady(ServiceProcess service) {
        long start = System.nanoTime();
        while (!service.isReady()) {
            if (!service.isAlive() || seconds(start) > 120) {
                throw new IllegalStateException("the persistence service did not become ready:\n" + service.tail(30));
            }
            sleep(250);
        }
        say("persistence service ready in %.1f s", seconds(start));
    }

    /**
     * Every pet adopted (an event at tick 0), published before the service starts, so that what is timed is the
     * service alone working off a backlog of events.
     */
    private void publishAdoptions(KafkaProducer<byte[], byte[]> producer) {
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        for (int id = 1; id <= pets; id++) {
            hunger[id] = INITIAL_HUNGER;
            event(producer, id, Cause.ADOPTED, now);
        }
        producer.flush();
        say("published %,d adoptions in %.1f s (%,.0f events/s) before starting the service",
                pets, seconds(start), pets / seconds(start));
    }

    /** A producer that starts before every partition has its leader can get stuck on out-of-order sequences. */
    private void awaitLeaders(Admin admin) throws Exception {
        long start = System.nanoTime();
        while (seconds(start) < 60) {
            var topic = admin.describeTopics(List.of(Topics.PET_STATE)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.PET_STATE);
            if (topic.partitions().size() == partitions
                    && topic.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                sleep(1_000);
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("pet-state has partitions without a leader after 60 s");
    }

    /** The backlog: the service commits a partition's offsets only past what is in PostgreSQL, so lag 0 is all written. */
    private void writeAdoptions(Admin admin, LocalStack stack) throws SQLException {
        long start = System.nanoTime();
        double[] cpuStart = cpu.seconds();
        long lag;
        while ((lag = lag(admin)) > 0) {
            if (seconds(start) > 1800) {
                throw new IllegalStateException("the adoptions were not written within 30 minutes; lag " + lag);
            }
            sleep(100);
        }
        double total = seconds(start);
        double[] used = cpu.since(cpuStart);
        long rows = count(stack, "SELECT count(*) FROM pets");
        results.put("adoption backlog: events upserted", String.format("%,d in %.1f s (%,d rows in pets)", pets, total, rows));
        results.put("adoption backlog: CPU µs per event: service / PostgreSQL / broker+bench",
                String.format("%.1f / %.1f / %.1f (cores used %.2f / %.2f / %.2f)", used[0] * 1e6 / pets,
                        used[1] * 1e6 / pets, used[2] * 1e6 / pets, used[0] / total, used[1] / total, used[2] / total));
        results.put("adoption backlog: events upserted/s (ready → all committed)", String.format("%,.0f", pets / total));
        say("all %,d adoptions in PostgreSQL and committed %.1f s after the service was ready: %,.0f events/s",
                pets, total, pets / total);
    }

    /**
     * The world living: each partition's clock ticks once per interval (the partitions spread over it), feeds at
     * their rate as fed events; a sample of the events, and every tick, timed to visibility in PostgreSQL.
     */
    private void liveWorld(KafkaProducer<byte[], byte[]> producer, Admin admin, ServiceProcess service, LocalStack stack) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watchMarkers(stack, running), "marker-watcher");
        watcher.start();
        long durationNanos = (long) (minutes * 60e9);
        long start = System.nanoTime();
        Map<String, Double> countersStart = counters(service);
        double[] cpuStart = cpu.seconds();
        double[] lastCpu = cpuStart;
        long eventsStart = events.get();
        long ticksStart = ticks.get();
        long lagStart = lag(admin);
        long nextReport = start + 10_000_000_000L;
        long lastEvents = eventsStart;
        long lastTicks = ticksStart;
        long lastLag = lagStart;
        long lastReport = start;
        long maxLag = 0;
        int windowFrom = 0; // the first marker of this report window
        int clockWindowFrom = 0;
        say("the world runs for %s minutes: %,d partitions ticking every %d s + %,d feeds/s", minutes, partitions,
                TICK_MILLIS / 1000, feedsPerSecond);
        System.out.printf("  %7s %10s %9s %11s %12s %16s %16s %s%n", "time s", "events/s", "ticks/s", "consumed/s",
                "commit lag", "event vis p50/p99", "clock vis p50/p99", "cores: service / PostgreSQL / broker+bench, load average");
        long slot = 0;
        int feedsPerSlot = Math.max(0, feedsPerSecond / 10);
        double feedCarry = feedsPerSecond / 10.0 - feedsPerSlot;
        double carry = 0;
        while (System.nanoTime() - start < durationNanos) {
            long slotStart = start + slot * (TICK_MILLIS * 1_000_000L / SLOTS);
            long wait = slotStart - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long now = System.currentTimeMillis();
            int s = (int) (slot % SLOTS);
            for (int p = 0; p < partitions; p++) {
                if ((long) p * SLOTS / partitions == s) {
                    tick(producer, p, now);
                }
            }
            carry += feedCarry;
            int feeds = feedsPerSlot + (int) carry;
            carry -= (int) carry;
            for (int f = 0; f < feeds; f++) {
                int id = 1 + ThreadLocalRandom.current().nextInt(pets);
                long published = System.nanoTime();
                event(producer, id, Cause.FED, now);
                if (f == 0 && !markers.containsKey((long) id)) {
                    markers.put((long) id, new long[] {version[id], published});
                }
            }
            slot++;
            if (System.nanoTime() >= nextReport) {
                long lag = lag(admin);
                maxLag = Math.max(maxLag, lag);
                double dt = (System.nanoTime() - lastReport) / 1e9;
                double[] used = cpu.since(lastCpu);
                lastCpu = cpu.seconds();
                long produced = events.get() + ticks.get() - lastEvents - lastTicks;
                System.out.printf("  %7.0f %,10.0f %,9.1f %,11.0f %,12d %16s %16s %.2f / %.2f / %.2f, %s%n",
                        seconds(start), (events.get() - lastEvents) / dt, (ticks.get() - lastTicks) / dt,
                        (produced - (lag - lastLag)) / dt, lag,
                        percentile(visibilityMillis, 0.5, windowFrom) + "/" + percentile(visibilityMillis, 0.99, windowFrom),
                        percentile(clockVisibilityMillis, 0.5, clockWindowFrom) + "/"
                                + percentile(clockVisibilityMillis, 0.99, clockWindowFrom),
                        used[0] / dt, used[1] / dt, used[2] / dt, loadAverage());
                windowFrom = visibilityMillis.size();
                clockWindowFrom = clockVisibilityMillis.size();
                lastEvents = events.get();
                lastTicks = ticks.get();
                lastLag = lag;
                lastReport = System.nanoTime();
                nextReport = lastReport + 10_000_000_000L;
            }
        }
        producer.flush();
        double seconds = seconds(start);
        long publishedEvents = events.get() - eventsStart;
        long publishedTicks = ticks.get() - ticksStart;
        double[] used = cpu.since(cpuStart);
        long lagAtEnd = lag(admin);
        // nothing waits for a flush any more: the lag of the run's end is worked off at once
        long drainStart = System.nanoTime();
        long lag;
        while ((lag = lag(admin)) > 0 && seconds(drainStart) < 120) {
            sleep(200);
        }
        double drained = seconds(drainStart);
        running.set(false);
        watcher.join();
        long consumed = publishedEvents + publishedTicks - (lagAtEnd - lagStart);
        results.put("world: events/s and ticks/s published (target " + String.format("%,d and %.1f", feedsPerSecond,
                partitions * 1000.0 / TICK_MILLIS) + ")", String.format("%,.0f and %,.2f (%,d events, %,d tick records in %.0f s)",
                publishedEvents / seconds, publishedTicks / seconds, publishedEvents, publishedTicks, seconds));
        results.put("world: records consumed and committed/s during the run", String.format("%,.0f", consumed / seconds));
        results.put("world: cores used, service / PostgreSQL / broker+bench", String.format("%.2f / %.2f / %.2f",
                used[0] / seconds, used[1] / seconds, used[2] / seconds));
        results.put("world: service CPU µs per record consumed; PostgreSQL CPU µs per event",
                String.format("%.1f; %.1f", used[0] * 1e6 / Math.max(1, consumed), used[1] * 1e6 / Math.max(1, publishedEvents)));
        results.put("world: event visibility p50 / p99 / max (ms, " + visibilityMillis.size() + " marker pets)",
                String.format("%s / %s / %s; %d never seen", percentile(visibilityMillis, 0.50, 0),
                        percentile(visibilityMillis, 0.99, 0), percentile(visibilityMillis, 1.0, 0), unseenMarkers.get()));
        results.put("world: clock visibility p50 / p99 / max (ms, " + clockVisibilityMillis.size() + " ticks)",
                String.format("%s / %s / %s", percentile(clockVisibilityMillis, 0.50, 0),
                        percentile(clockVisibilityMillis, 0.99, 0), percentile(clockVisibilityMillis, 1.0, 0)));
        results.put("world: max consumer lag seen (records)", String.format("%,d", maxLag));
        results.put("world: lag at the end of the run, then after", String.format("%,d, then %,d after %.1f s", lagAtEnd, lag, drained));
        results.put("world: clocks in PostgreSQL at the last tick published", String.format("%,d of %d partitions",
                clocksAtLastTick(stack), partitions));
        results.put("service: its counters over the run", counterDeltas(countersStart, counters(service)));
    }

    /** A tick record of a partition: its clock goes one on. */
    private void tick(KafkaProducer<byte[], byte[]> producer, int partition, long now) {
        clock[partition]++;
        PartitionTick t = new PartitionTick(partition, partitions, clock[partition], now, RULE);
        producer.send(new ProducerRecord<>(Topics.PET_STATE, partition, PetStateCodec.tickKey(partition), PetStateCodec.write(t)));
        clockMarkers.putIfAbsent(partition, new long[] {clock[partition], System.nanoTime()});
        ticks.incrementAndGet();
    }

    /** An event of a pet at its partition's current tick: the pet has aged since its last event, as the rule says. */
    private void event(KafkaProducer<byte[], byte[]> producer, int id, Cause cause, long now) {
        long tick = clock[PetPartitioner.partitionOf(id, partitions)];
        long passed = tick - eventTick[id];
        age[id] = RULE.ageAfter(age[id], passed);
        hunger[id] = RULE.hungerAfter(hunger[id], passed);
        if (cause == Cause.FED) {
            hunger[id] = Math.max(0, hunger[id] - MEAL);
        }
        version[id]++;
        eventTick[id] = tick;
        PetState state = new PetState(id, null, "Pet " + id, Species.values()[id % Species.values().length], age[id],
                hunger[id], true, version[id], cause, tick, now, cause == Cause.FED ? "bench-" + id + "-" + version[id] : null);
        producer.send(new ProducerRecord<>(Topics.PET_STATE, PetStateCodec.key(id), PetStateCodec.write(state)));
        events.incrementAndGet();
    }

    /**
     * Polls PostgreSQL for the marker pets and the clocks: a marker is visible once its row has reached the marker's
     * version, a tick once its partition's clock has reached it.
     */
    private void watchMarkers(LocalStack stack, AtomicBoolean running) {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement s = c.prepareStatement("SELECT id, version FROM pets WHERE id = ANY (?)");
             PreparedStatement clocks = c.prepareStatement("SELECT partition, tick FROM partition_clocks")) {
            while (running.get() || !markers.isEmpty()) {
                if (!markers.isEmpty()) {
                    s.setArray(1, c.createArrayOf("bigint", markers.keySet().toArray()));
                    try (ResultSet r = s.executeQuery()) {
                        long now = System.nanoTime();
                        while (r.next()) {
                            long[] marker = markers.get(r.getLong(1));
                            if (marker != null && r.getLong(2) >= marker[0]) {
                                visibilityMillis.add((now - marker[1]) / 1_000_000);
                                markers.remove(r.getLong(1));
                            }
                        }
                    }
                }
                if (!clockMarkers.isEmpty()) {
                    try (ResultSet r = clocks.executeQuery()) {
                        long now = System.nanoTime();
                        while (r.next()) {
                            long[] marker = clockMarkers.get(r.getInt(1));
                            if (marker != null && r.getLong(2) >= marker[0]) {
                                clockVisibilityMillis.add((now - marker[1]) / 1_000_000);
                                clockMarkers.remove(r.getInt(1));
                            }
                        }
                    }
                }
                if (!running.get()) {
                    unseenMarkers.set(markers.size()); // the run and its drain are over: never visible
                    markers.clear();
                }
                sleep(10);
            }
        } catch (SQLException e) {
            say("marker watcher stopped: %s", e.getMessage());
        }
    }

    /** Partitions whose clock row in PostgreSQL is at the last tick this bench published. */
    private long clocksAtLastTick(LocalStack stack) throws SQLException {
        long at = 0;
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             ResultSet r = c.createStatement().executeQuery("SELECT partition, tick FROM partition_clocks")) {
            while (r.next()) {
                int p = r.getInt(1);
                if (p >= 0 && p < partitions && r.getLong(2) == clock[p]) {
                    at++;
                }
            }
        }
        return at;
    }

    private static long count(LocalStack stack, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The percentile of the visibilities seen from the {@code from}-th on (one report window's). */
    private static String percentile(List<Long> millis, double p, int from) {
        List<Long> sorted;
        synchronized (millis) {
            sorted = new ArrayList<>(millis.subList(Math.min(from, millis.size()), millis.size()));
        }
        if (sorted.isEmpty()) {
            return "-";
        }
        sorted.sort(null);
        int rank = (int) Math.ceil(p * sorted.size()) - 1;
        return Long.toString(sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank))));
    }

    /** Records of pet-state not yet committed by the persistence group (read_committed ends minus committed). */
    private long lag(Admin admin) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(Topics.PET_STATE, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(end.getKey());
                lag += end.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the lag: " + e.getMessage(), e);
        }
    }

    /** The service's own counters (whatever it names them), to show what it says it did beside what was measured. */
    private static Map<String, Double> counters(ServiceProcess service) {
        Map<String, Double> counters = new TreeMap<>();
        metrics(service).forEach((name, value) -> {
            if (name.startsWith("livepet_persistence_") && (name.contains("_total") || name.endsWith("_count")
                    || name.contains("_count{"))) {
                counters.put(name, value);
            }
        });
        return counters;
    }

    private static String counterDeltas(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> deltas = new HashMap<>();
        after.forEach((name, value) -> deltas.put(name, value - before.getOrDefault(name, 0.0)));
        return deltas.isEmpty() ? "none in its /q/metrics" : new TreeMap<>(deltas).entrySet().stream()
                .map(e -> String.format("%s +%,.0f", e.getKey(), e.getValue())).reduce((a, b) -> a + ", " + b).orElse("");
    }

    // --- the same rows written three ways, through JDBC on the same PostgreSQL, into a copy of the pets table ---

    private void compareWrites(LocalStack stack) throws SQLException, IOException {
        int n = pets;
        say("comparing writes of %,d pets on the same PostgreSQL (JDBC, %,d pets per statement)", n, CHUNK);
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD)) {
            for (String method : List.of("unnest", "unnest-v2-schema", "copy")) {
                recreate(c);
                if (method.equals("unnest-v2-schema")) {
                    indexesOnTickColumns(c);
                }
                String writer = method.equals("unnest-v2-schema") ? "unnest" : method;
                double[] cpuStart = cpu.seconds();
                double insert = timed(() -> write(c, writer, n, 1));
                double insertCpu = cpu.since(cpuStart)[1];
                cpuStart = cpu.seconds();
                double update = timed(() -> write(c, writer, n, 2));
                double updateCpu = cpu.since(cpuStart)[1];
                results.put("write " + method + ": " + String.format("%,d", n) + " new pets, rows/s (PostgreSQL CPU µs/row)",
                        String.format("%,.0f (%.1f s; %.1f µs)", n / insert, insert, insertCpu * 1e6 / n));
                results.put("write " + method + ": " + String.format("%,d", n) + " events of those pets (a higher version), rows/s (µs/row)",
                        String.format("%,.0f (%.1f s; %.1f µs)", n / update, update, updateCpu * 1e6 / n));
            }
            if (originalSample > 0) {
                int k = Math.min(originalSample, n);
                double seconds = timed(() -> originalUpdates(c, k));
                double rate = k / seconds;
                results.put("original: one UPDATE per pet per tick (autocommit), rows/s",
                        String.format("%,.0f (%,d pets in %.1f s)", rate, k, seconds));
                results.put("original: every pet of " + String.format("%,d", n) + " once (extrapolated)",
                        String.format("%.0f s per tick (its interval: 60 s); the events contract writes one clock row per"
                                + " partition per tick instead", n / rate));
            }
        }
    }

    /**
     * The schema before V3, for comparison: indexes on two columns an event changes (age, changed_at) and full
     * pages, so that no event's update can be heap-only (HOT) and each writes a new entry into every index.
     */
    private static void indexesOnTickColumns(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX ON bench_pets (age DESC) WHERE alive");
            s.execute("CREATE INDEX ON bench_pets (changed_at DESC) WHERE NOT alive");
            s.execute("ALTER TABLE bench_pets SET (fillfactor = 100)");
        }
    }

    /** A copy of the service's pets table: its columns and indexes, and its fillfactor, which LIKE does not copy. */
    private static void recreate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_pets");
            s.execute("CREATE TABLE bench_pets (LIKE pets INCLUDING ALL)");
            try (ResultSet r = s.executeQuery("SELECT array_to_string(reloptions, ', ') FROM pg_class WHERE relname = 'pets'")) {
                String options = r.next() ? r.getString(1) : null;
                if (options != null && !options.isEmpty()) {
                    s.execute("ALTER TABLE bench_pets SET (" + options + ")");
                }
            }
        }
    }

    private interface SqlWork {
        void run() throws SQLException, IOException;
    }

    private static double timed(SqlWork work) throws SQLException, IOException {
        long start = System.nanoTime();
        work.run();
        return seconds(start);
    }

    private static final String MERGE_SET = """
            ON CONFLICT (id) DO UPDATE SET
                owner = EXCLUDED.owner, name = EXCLUDED.name, species = EXCLUDED.species, age = EXCLUDED.age,
                hunger = EXCLUDED.hunger, alive = EXCLUDED.alive, version = EXCLUDED.version,
                cause = EXCLUDED.cause, changed_at = EXCLUDED.changed_at, tick = EXCLUDED.tick
            WHERE bench_pets.version < EXCLUDED.version""";

    private static void write(Connection c, String method, int n, int version) throws SQLException, IOException {
        long at = System.currentTimeMillis();
        for (int from = 1; from <= n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK - 1);
            if (method.equals("unnest")) {
                unnest(c, from, to, version, at);
            } else {
                copyAndMerge(c, from, to, version, at);
            }
        }
    }

    /** The service's statement (its reactive client sends the arrays in binary; here timestamps go as text). */
    private static void unnest(Connection c, int from, int to, int version, long at) throws SQLException {
        int n = to - from + 1;
        Long[] id = new Long[n];
        String[] name = new String[n];
        String[] species = new String[n];
        Integer[] age = new Integer[n];
        Integer[] hunger = new Integer[n];
        Boolean[] alive = new Boolean[n];
        Long[] versions = new Long[n];
        String[] cause = new String[n];
        Long[] ticks = new Long[n];
        String[] times = new String[n];
        String time = Instant.ofEpochMilli(at).toString();
        for (int i = 0; i < n; i++) {
            id[i] = (long) (from + i);
            name[i] = "Pet " + id[i];
            species[i] = Species.values()[(int) (id[i] % Species.values().length)].id();
            age[i] = version;
            hunger[i] = 250 + version;
            alive[i] = true;
            versions[i] = (long) version;
            cause[i] = version == 1 ? "adopted" : "fed";
            ticks[i] = (long) version;
            times[i] = time;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO bench_pets (id, owner, name, species, age, hunger, alive, version, cause, changed_at, born_at, tick)
                SELECT * FROM UNNEST(?::bigint[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[],
                                     ?::boolean[], ?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::bigint[])
                """ + MERGE_SET)) {
            Array times1 = c.createArrayOf("timestamptz", times);
            s.setArray(1, c.createArrayOf("bigint", id));
            s.setArray(2, c.createArrayOf("text", new String[n]));
            s.setArray(3, c.createArrayOf("text", name));
            s.setArray(4, c.createArrayOf("text", species));
            s.setArray(5, c.createArrayOf("int4", age));
            s.setArray(6, c.createArrayOf("int4", hunger));
            s.setArray(7, c.createArrayOf("bool", alive));
            s.setArray(8, c.createArrayOf("bigint", versions));
            s.setArray(9, c.createArrayOf("text", cause));
            s.setArray(10, times1);
            s.setArray(11, times1);
            s.setArray(12, c.createArrayOf("bigint", ticks));
            s.executeUpdate();
        }
    }

    /** Binary COPY into a temporary staging table, then one INSERT … SELECT … ON CONFLICT merge, one transaction. */
    private static void copyAndMerge(Connection c, int from, int to, int version, long at) throws SQLException, IOException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS bench_stage (LIKE pets) ON COMMIT DELETE ROWS");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((to - from + 1) * 120);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            out.writeInt(0);
            out.writeInt(0);
            long micros = at * 1000 - PG_EPOCH_MICROS;
            for (int id = from; id <= to; id++) {
                out.writeShort(12);
                out.writeInt(8);
                out.writeLong(id);
                out.writeInt(-1); // owner NULL: a seeded pet
                text(out, "Pet " + id);
                text(out, Species.values()[id % Species.values().length].id());
                out.writeInt(4);
                out.writeInt(version);
                out.writeInt(4);
                out.writeInt(250 + version);
                out.writeInt(1);
                out.writeByte(1);
                out.writeInt(8);
                out.writeLong(version);
                text(out, version == 1 ? "adopted" : "fed");
                out.writeInt(8);
                out.writeLong(micros);
                out.writeInt(8);
                out.writeLong(micros);
                out.writeInt(8);
                out.writeLong(version); // the tick the event holds at
            }
            out.writeShort(-1);
            ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI()
                    .copyIn("COPY bench_stage (id, owner, name, species, age, hunger, alive, version, cause, changed_at, born_at,"
                            + " tick)"
                            + " FROM STDIN (FORMAT binary)", new ByteArrayInputStream(bytes.toByteArray()));
            s.executeUpdate("INSERT INTO bench_pets SELECT * FROM bench_stage " + MERGE_SET);
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** The original's way: every pet's state at every tick written by its own UPDATE, each its own transaction. */
    private static void originalUpdates(Connection c, int pets) throws SQLException {
        Instant at = Instant.now();
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE bench_pets SET age = ?, hunger = ?, version = ?, cause = 'tick', changed_at = ? WHERE id = ?")) {
            for (int id = 1; id <= pets; id++) {
                s.setInt(1, 3);
                s.setInt(2, 253);
                s.setLong(3, 3);
                s.setObject(4, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
                s.setLong(5, id);
                s.executeUpdate();
            }
        }
    }

    /** CPU seconds from /proc: the service, PostgreSQL (postmaster, its backends, its exited children), this JVM. */
    private record CpuMeter(long servicePid, Path postgresDir) {

        double[] seconds() {
            return new double[] {cpuTicks(servicePid, true) / (double) CLOCK_TICKS_PER_SECOND,
                    BenchProcess.postgresCpuTicks(postgresDir) / (double) CLOCK_TICKS_PER_SECOND,
                    cpuTicks(ProcessHandle.current().pid(), true) / (double) CLOCK_TICKS_PER_SECOND};
        }

        double[] since(double[] start) {
            double[] now = seconds();
            return new double[] {now[0] - start[0], now[1] - start[1], now[2] - start[2]};
        }

    }

}
