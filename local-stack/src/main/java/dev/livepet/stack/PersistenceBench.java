package dev.livepet.stack;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
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
import org.apache.kafka.common.serialization.StringSerializer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.livepet.stack.BenchProcess.CLOCK_TICKS_PER_SECOND;
import static dev.livepet.stack.BenchProcess.cpuTicks;
import static dev.livepet.stack.BenchProcess.deleteTree;
import static dev.livepet.stack.BenchProcess.loadAverage;
import static dev.livepet.stack.BenchProcess.metrics;
import static dev.livepet.stack.BenchProcess.say;
import static dev.livepet.stack.BenchProcess.seconds;
import static dev.livepet.stack.BenchProcess.sleep;

/**
 * {@code ./livepet bench persistence --pets N --minutes M}: one persistence-service process against a fresh local
 * stack in a temporary folder, fed by a plain (non-transactional, acks=all) producer playing an N-pet world:
 * first every pet adopted at once (the lifecycle lane's throughput), then M minutes of every pet ticking every
 * 5 s plus feeds, measuring rows written per second, lifecycle visibility (published → row visible, polled
 * from PostgreSQL for marker pets) and consumer lag. Then compares, on the same PostgreSQL through JDBC, the
 * UNNEST upsert with binary COPY into a staging table plus one merge, and the original's one UPDATE per pet.
 */
public final class PersistenceBench {
    private static final String SERVICE = "persistence-service";
    private static final String GROUP = "livepet-persistence";
    private static final long TICK_MILLIS = 5_000;
    private static final int SLOTS = 50; // the tick cycle cut into 100 ms slots
    private static final int CHUNK = 10_000;
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L; // 2000-01-01T00:00Z in Unix microseconds

    private final int pets;
    private final double minutes;
    private final int partitions;
    private final int feedsPerSecond;
    private final String tickFlushInterval;
    private final int originalSample;
    private final String javaOptions;
    private final boolean keep;
    private final boolean skipSql;
    private final boolean onlySql;
    private final Path home;
    private final Map<String, String> results = new LinkedHashMap<>();

    // the world, owned by the producing thread
    private final int[] version;
    private final int[] age;
    private final int[] hunger;
    private final AtomicLong produced = new AtomicLong();
    private final Map<Long, long[]> markers = new ConcurrentHashMap<>(); // pet -> {version, published nanos}
    private final AtomicLong unseenMarkers = new AtomicLong();
    private final List<Long> visibilityMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    private CpuMeter cpu; // the machine is shared: CPU seconds per record say what wall-clock rates cannot

    private PersistenceBench(int pets, double minutes, int partitions, int feedsPerSecond, String tickFlushInterval,
                             int originalSample, String javaOptions, boolean keep, boolean skipSql, boolean onlySql, Path home) {
        this.pets = pets;
        this.minutes = minutes;
        this.partitions = partitions;
        this.feedsPerSecond = feedsPerSecond;
        this.tickFlushInterval = tickFlushInterval;
        this.originalSample = originalSample;
        this.javaOptions = javaOptions;
        this.keep = keep;
        this.skipSql = skipSql;
        this.onlySql = onlySql;
        this.home = home;
        this.version = new int[pets + 1];
        this.age = new int[pets + 1];
        this.hunger = new int[pets + 1];
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args, "bench persistence", "--pets N (1000000) --minutes M (2)"
                        + " --partitions P (24) --feeds-per-second F (1000) --tick-flush-interval D (60s)"
                        + " --original-sample K (20000) --java-opts '-Xmx2g' --skip-sql --only-sql --keep",
                Set.of("--pets", "--minutes", "--partitions", "--feeds-per-second", "--tick-flush-interval",
                        "--original-sample", "--java-opts"),
                Set.of("--keep", "--skip-sql", "--only-sql"));
        int pets = options.integer("--pets", 1_000_000);
        double minutes = options.number("--minutes", 2);
        int partitions = options.integer("--partitions", Topics.DEFAULT_PARTITIONS);
        int feeds = options.integer("--feeds-per-second", 1_000);
        int original = options.integer("--original-sample", 20_000);
        if (pets < 1 || minutes <= 0 || partitions < 1 || feeds < 0 || original < 0) {
            options.fail("numbers must be positive");
        }
        new PersistenceBench(pets, minutes, partitions, feeds, options.text("--tick-flush-interval", "60s"), original,
                options.text("--java-opts", "-Xmx2g"), options.flag("--keep"), options.flag("--skip-sql"),
                options.flag("--only-sql"), BenchOptions.home()).run();
    }

    private void run() throws Exception {
        Path dir = BenchProcess.workDirectory("livepet-bench-persistence");
        Path logs = dir.resolve("logs");
        say("benchmark of one persistence instance: %,d pets, %s minutes, %d partitions, %,d feeds/s, tick flush every %s;"
                + " data and logs in %s", pets, minutes, partitions, feedsPerSecond, tickFlushInterval, dir);
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(new LocalStackSettings(dir.resolve("stack"), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), partitions))) {
            say("Kafka and PostgreSQL ready in %.1f s", seconds(t0));
            Map<String, String> env = new LinkedHashMap<>(stack.serviceEnvironment());
            env.put("LIVEPET_PERSISTENCE_TICK_FLUSH_INTERVAL", tickFlushInterval);
            env.put("LIVEPET_SERVICE_JAVA_OPTS", javaOptions);
            int port = LocalStackSettings.freePort();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()));
                 KafkaProducer<String, byte[]> producer = producer(stack)) {
                awaitLeaders(admin);
                if (!onlySql) {
                    publishAdoptions(producer);
                }
                ServiceProcess service = ServiceProcess.start(SERVICE, home, port, env, logs, dir.resolve("pids"));
                cpu = new CpuMeter(service.pid(), dir.resolve("stack").resolve("postgres"));
                try {
                    awaitReady(service); // its Flyway made the pets table, which the SQL comparison copies
                    if (!onlySql) {
                        writeAdoptions(admin, port);
                        liveWorld(producer, admin, port, stack);
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

    private static KafkaProducer<String, byte[]> producer(LocalStack stack) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer());
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
     * Every pet adopted, published before the service starts, so that what is timed is the service alone:
     * a backlog of lifecycle changes, each poll upserted at once.
     */
    private void publishAdoptions(KafkaProducer<String, byte[]> producer) {
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        for (int id = 1; id <= pets; id++) {
            hunger[id] = 250;
            send(producer, id, Cause.ADOPTED, now);
        }
        producer.flush();
        say("published %,d adoptions in %.1f s (%,.0f records/s) before starting the service",
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

    private void writeAdoptions(Admin admin, int port) {
        long start = System.nanoTime();
        double[] cpuStart = cpu.seconds();
        long lag;
        while ((lag = lag(admin)) > 0 || metric(port, "livepet_persistence_rows_written_total") < pets) {
            if (seconds(start) > 1800) {
                throw new IllegalStateException("the adoptions were not written within 30 minutes; lag " + lag);
            }
            sleep(100);
        }
        double total = seconds(start);
        double[] used = cpu.since(cpuStart);
        results.put("adoption backlog: pets written by the lifecycle lane", String.format("%,d in %.1f s", pets, total));
        results.put("adoption backlog: CPU µs per pet written: service / PostgreSQL / broker+bench",
                String.format("%.1f / %.1f / %.1f (cores used %.2f / %.2f / %.2f)", used[0] * 1e6 / pets,
                        used[1] * 1e6 / pets, used[2] * 1e6 / pets, used[0] / total, used[1] / total, used[2] / total));
        results.put("adoption backlog: sustained upserted rows/s (ready → all committed)", String.format("%,.0f", pets / total));
        say("all %,d adoptions in PostgreSQL and committed %.1f s after the service was ready: %,.0f rows/s",
                pets, total, pets / total);
    }

    /** The world running: every pet ticks every 5 s, feeds at their rate, a sample of feeds timed to visibility. */
    private void liveWorld(KafkaProducer<String, byte[]> producer, Admin admin, int port, LocalStack stack) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watchMarkers(stack, running), "marker-watcher");
        watcher.start();
        long durationNanos = (long) (minutes * 60e9);
        long start = System.nanoTime();
        double rowsStart = metric(port, "livepet_persistence_rows_written_total");
        double consumedStart = metric(port, "livepet_persistence_batch_records_sum");
        double lastConsumed = consumedStart;
        double[] cpuStart = cpu.seconds();
        double[] lastCpu = cpuStart;
        long producedStart = produced.get();
        long nextReport = start + 10_000_000_000L;
        long lastProduced = producedStart;
        double lastRows = rowsStart;
        long lastReport = start;
        long maxLag = 0;
        int windowFrom = 0; // the first marker of this report window
        say("the world runs for %s minutes: %,d ticks/s + %,d feeds/s", minutes, pets * 1000L / TICK_MILLIS, feedsPerSecond);
        System.out.printf("  %7s %12s %11s %14s %12s %14s %14s %15s %s%n", "time s", "published/s", "consumed/s",
                "rows written/s", "commit lag", "fetch lag max", "pending ticks", "vis p50/p99 ms",
                "cores: service / PostgreSQL / broker+bench, load average");
        long slot = 0;
        int feedsPerSlot = Math.max(0, feedsPerSecond / 10);
        double feedCarry = feedsPerSecond / 10.0 - feedsPerSlot;
        double carry = 0;
        while (System.nanoTime() - start < durationNanos) {
            long slotStart = start + slot * 100_000_000L;
            long wait = slotStart - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long now = System.currentTimeMillis();
            int s = (int) (slot % SLOTS);
            for (int id = s + 1; id <= pets; id += SLOTS) {
                send(producer, id, Cause.TICK, now);
            }
            carry += feedCarry;
            int feeds = feedsPerSlot + (int) carry;
            carry -= (int) carry;
            for (int f = 0; f < feeds; f++) {
                int id = 1 + ThreadLocalRandom.current().nextInt(pets);
                long published = System.nanoTime();
                send(producer, id, Cause.FED, now);
                if (f == 0 && !markers.containsKey((long) id)) {
                    markers.put((long) id, new long[] {version[id], published});
                }
            }
            slot++;
            if (System.nanoTime() >= nextReport) {
                long lag = lag(admin);
                maxLag = Math.max(maxLag, lag);
                double rows = metric(port, "livepet_persistence_rows_written_total");
                double consumed = metric(port, "livepet_persistence_batch_records_sum");
                double dt = (System.nanoTime() - lastReport) / 1e9;
                double[] used = cpu.since(lastCpu);
                lastCpu = cpu.seconds();
                System.out.printf("  %7.0f %,12.0f %,11.0f %,14.0f %,12d %,14.0f %,14.0f %15s %.2f / %.2f / %.2f, %s%n",
                        seconds(start), (produced.get() - lastProduced) / dt, (consumed - lastConsumed) / dt,
                        (rows - lastRows) / dt, lag, metric(port, "kafka_consumer_fetch_manager_records_lag_max"),
                        metric(port, "livepet_persistence_tick_pending_pets"),
                        percentile(0.5, windowFrom) + "/" + percentile(0.99, windowFrom),
                        used[0] / dt, used[1] / dt, used[2] / dt, loadAverage());
                windowFrom = visibilityMillis.size();
                lastConsumed = consumed;
                lastProduced = produced.get();
                lastRows = rows;
                lastReport = System.nanoTime();
                nextReport = lastReport + 10_000_000_000L;
            }
        }
        producer.flush();
        double seconds = seconds(start);
        long published = produced.get() - producedStart;
        double rows = metric(port, "livepet_persistence_rows_written_total") - rowsStart;
        double consumed = metric(port, "livepet_persistence_batch_records_sum") - consumedStart;
        double[] used = cpu.since(cpuStart);
        // the tick lane holds up to one flush interval: wait for the flush that covers the last records
        long drainStart = System.nanoTime();
        long lag;
        while ((lag = lag(admin)) > 0 && seconds(drainStart) < Duration.parse("PT" + tickFlushInterval.toUpperCase(Locale.ROOT)).toSeconds() + 120) {
            sleep(500);
        }
        running.set(false);
        watcher.join();
        double flushes = metric(port, "livepet_persistence_tick_flush_seconds_count");
        double flushSeconds = metric(port, "livepet_persistence_tick_flush_seconds_sum");
        double flushMax = metric(port, "livepet_persistence_tick_flush_seconds_max");
        results.put("world: published records/s (target " + String.format("%,d", pets / 5 + feedsPerSecond) + ")",
                String.format("%,.0f (%,d in %.0f s)", published / seconds, published, seconds));
        results.put("world: records consumed/s during the run", String.format("%,.0f", consumed / seconds));
        results.put("world: rows written/s during the run (coalesced)", String.format("%,.0f", rows / seconds));
        results.put("world: cores used, service / PostgreSQL / broker+bench", String.format("%.2f / %.2f / %.2f",
                used[0] / seconds, used[1] / seconds, used[2] / seconds));
        results.put("world: service CPU µs per record consumed; PostgreSQL CPU µs per row written",
                String.format("%.1f; %.1f", used[0] * 1e6 / Math.max(1, consumed), used[1] * 1e6 / Math.max(1, rows)));
        results.put("world: service cores needed for 200,000 records/s (from its CPU per record)",
                String.format("%.2f", used[0] / Math.max(1, consumed) * 200_000));
        results.put("world: tick flushes, mean / max duration", String.format("%.0f, %.1f s / %.1f s", flushes,
                flushes == 0 ? 0 : flushSeconds / flushes, flushMax));
        results.put("world: tick flush pets/s while flushing (pets written by flushes / time spent flushing)",
                flushSeconds == 0 ? "-" : String.format("%,.0f (%,.0f pets in %.1f s)",
                        metric(port, "livepet_persistence_tick_flushed_pets_total") / flushSeconds,
                        metric(port, "livepet_persistence_tick_flushed_pets_total"), flushSeconds));
        double batches = metric(port, "livepet_persistence_batch_records_count");
        results.put("service: records per consumed batch (mean over the whole run)", batches == 0 ? "-"
                : String.format("%,.0f", metric(port, "livepet_persistence_batch_records_sum") / batches));
        results.put("world: lifecycle visibility p50 / p99 / max (ms, " + visibilityMillis.size() + " markers)",
                String.format("%s / %s / %s; %d never seen", percentile(0.50), percentile(0.99), percentile(1.0),
                        unseenMarkers.get()));
        results.put("world: max consumer lag seen (records; ticks wait for the flush)", String.format("%,d", maxLag));
        results.put("world: lag after the run, once the last flush ran", String.format("%,d after %.0f s", lag, seconds(drainStart)));
    }

    private void send(KafkaProducer<String, byte[]> producer, int id, Cause cause, long now) {
        version[id]++;
        switch (cause) {
            case TICK -> {
                age[id]++;
                hunger[id] = Math.min(500, hunger[id] + 5);
            }
            case FED -> hunger[id] = Math.max(0, hunger[id] - 100);
            default -> { }
        }
        PetState state = new PetState(id, null, "Pet " + id, Species.values()[id % Species.values().length], age[id],
                hunger[id], true, version[id], cause, now, cause == Cause.FED ? "bench-" + id + "-" + version[id] : null);
        producer.send(new ProducerRecord<>(Topics.PET_STATE, state.key(), PetJson.write(state)));
        produced.incrementAndGet();
    }

    /** Polls PostgreSQL for the marker pets; a marker is visible once its row has reached the marker's version. */
    private void watchMarkers(LocalStack stack, AtomicBoolean running) {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement s = c.prepareStatement("SELECT id, version FROM pets WHERE id = ANY (?)")) {
            while (running.get() || !markers.isEmpty()) {
                if (markers.isEmpty()) {
                    sleep(10);
                    continue;
                }
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
                if (!running.get()) {
                    unseenMarkers.set(markers.size()); // the run and its last flush are over: never visible
                    markers.clear();
                }
                sleep(10);
            }
        } catch (SQLException e) {
            say("marker watcher stopped: %s", e.getMessage());
        }
    }

    private String percentile(double p) {
        return percentile(p, 0);
    }

    /** The percentile of the visibilities seen from the {@code from}-th marker on (one report window's). */
    private String percentile(double p, int from) {
        List<Long> sorted;
        synchronized (visibilityMillis) {
            sorted = new ArrayList<>(visibilityMillis.subList(Math.min(from, visibilityMillis.size()), visibilityMillis.size()));
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

    /** A sample of the service's Prometheus metrics, summed over its labels; 0 if absent. */
    private static double metric(int port, String name) {
        return metrics(port).entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
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
                results.put("write " + method + ": " + String.format("%,d", n) + " pets to a higher version, rows/s (µs/row)",
                        String.format("%,.0f (%.1f s; %.1f µs)", n / update, update, updateCpu * 1e6 / n));
            }
            if (originalSample > 0) {
                int k = Math.min(originalSample, n);
                double seconds = timed(() -> originalUpdates(c, k));
                double rate = k / seconds;
                results.put("original: one UPDATE per pet (autocommit), rows/s",
                        String.format("%,.0f (%,d pets in %.1f s)", rate, k, seconds));
                results.put("original: every pet of " + String.format("%,d", n) + " once (extrapolated)",
                        String.format("%.0f s per round (its interval: 60 s)", n / rate));
            }
        }
    }

    /**
     * The schema before V3, for comparison: indexes on two columns a tick changes (age, changed_at) and full pages,
     * so that no tick update can be heap-only (HOT) and each writes a new entry into every index.
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
                cause = EXCLUDED.cause, changed_at = EXCLUDED.changed_at
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
            cause[i] = version == 1 ? "adopted" : "tick";
            times[i] = time;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO bench_pets (id, owner, name, species, age, hunger, alive, version, cause, changed_at, born_at)
                SELECT * FROM UNNEST(?::bigint[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[],
                                     ?::boolean[], ?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[])
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
                out.writeShort(11);
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
                text(out, version == 1 ? "adopted" : "tick");
                out.writeInt(8);
                out.writeLong(micros);
                out.writeInt(8);
                out.writeLong(micros);
            }
            out.writeShort(-1);
            ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI()
                    .copyIn("COPY bench_stage (id, owner, name, species, age, hunger, alive, version, cause, changed_at, born_at)"
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

    /** The original's way: every pet's tick state written by its own UPDATE, each its own transaction. */
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
