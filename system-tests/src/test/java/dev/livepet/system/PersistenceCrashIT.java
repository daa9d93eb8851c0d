package dev.livepet.system;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the persistence service could still lose: a poll it has read but not committed when it is killed with -9.
 * Its write of that poll waits on a lock this test holds on {@code pets} and {@code partition_clocks}, so the service
 * dies between reading the poll and committing it; the statements its dead connections left waiting are ended before
 * the lock is let go, so nothing of the poll reaches PostgreSQL but through Kafka. Its replacement resumes from the
 * committed offsets: every pet's row at its last event's version, every partition's clock at its last tick, and
 * nothing of pet-state left uncommitted.
 */
class PersistenceCrashIT {
    private static final int PETS = 600;
    private static final int PARTITIONS = 6;
    private static final int TICKS_BEFORE = 3;
    private static final int TICKS_AFTER = 4;
    private static final TickRule RULE = new TickRule(1, 5, 500);
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private final Path home = Path.of(System.getProperty("livepet.home", "..")).toAbsolutePath().normalize();
    private final List<ServiceProcess> services = new ArrayList<>();
    private LocalStack stack;

    @AfterEach
    void stopAll() {
        services.forEach(ServiceProcess::stop);
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killedWithDashNineBetweenReadingAPollAndCommittingItItsReplacementWritesItFromTheCommittedOffsets()
            throws Exception {
        Path dir = Files.createTempDirectory("livepet-persistence-crash");
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir.resolve("data"), PARTITIONS));
        Map<String, String> env = new LinkedHashMap<>(stack.serviceEnvironment());
        // a dead member leaves the group after 10 s instead of 45 s, so that its replacement gets the partitions
        env.put("KAFKA_SESSION_TIMEOUT_MS", "10000");
        PublishedWorld world = new PublishedWorld();

        ServiceProcess first = start(env, dir);
        SimulatorOwnershipIT.awaitReady(first);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (long id = 1; id <= PETS; id++) {
                world.adopt(producer, id);
            }
            for (int tick = 0; tick < TICKS_BEFORE; tick++) {
                world.tickAll(producer);
            }
            producer.flush();
        }
        Map<Long, Long> versionsBefore = world.versions();
        Map<Integer, Long> ticksBefore = world.ticks();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> rowVersions().equals(versionsBefore)
                && clockTicks().equals(ticksBefore) && uncommitted() == 0);
        Map<TopicPartition, Long> committedBefore = committed();

        try (Connection lock = db()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                // reads go on; every write of the service waits until this transaction ends
                s.execute("LOCK TABLE pets, partition_clocks IN SHARE ROW EXCLUSIVE MODE");
            }
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                for (int tick = 0; tick < TICKS_AFTER; tick++) {
                    world.tickAll(producer);
                    // a meal for every other pet at each tick, so that every pet has events after the lock too
                    for (long id = 1 + tick % 2; id <= PETS; id += 2) {
                        world.feed(producer, id);
                    }
                }
                producer.flush();
            }
            // every pet and every clock has records the service must still write
            Map<Long, Long> versionsAfter = world.versions();
            assertThat(versionsBefore).allSatisfy((id, v) -> assertThat(versionsAfter.get(id)).isGreaterThan(v));
            assertThat(ticksBefore).allSatisfy((p, t) -> assertThat(world.ticks().get(p)).isGreaterThan(t));
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> waitingOnTheLock(lock) > 0);

            first.kill();
            assertThat(committed()).as("the poll was read, not committed").isEqualTo(committedBefore);
            // the dead process's statements still wait in PostgreSQL; ended, they can never write the poll
            try (Statement s = lock.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
            }
            lock.rollback();
        }
        assertThat(rowVersions()).as("no row of the poll in PostgreSQL").isEqualTo(versionsBefore);
        assertThat(clockTicks()).as("no clock of the poll in PostgreSQL").isEqualTo(ticksBefore);

        ServiceProcess second = start(env, dir);
        SimulatorOwnershipIT.awaitReady(second);
        Map<Long, Long> versions = world.versions();
        Map<Integer, Long> ticks = world.ticks();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(rowVersions()).as("every pet's row at its last event's version").isEqualTo(versions);
            assertThat(clockTicks()).as("every partition's clock at its last tick").isEqualTo(ticks);
        });
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(uncommitted()).as("records of pet-state the persistence group has not committed").isZero());
    }

    /**
     * The world as the simulator writes it to pet-state: each pet's events (adopted, fed) at its partition's tick,
     * its age and hunger by the tick rule, and one tick record per partition per tick.
     */
    private static final class PublishedWorld {
        private final Map<Long, PetState> last = new HashMap<>();
        private final long[] clock = new long[PARTITIONS];
        private long at = System.currentTimeMillis();

        void adopt(KafkaProducer<byte[], byte[]> producer, long id) {
            int p = PetPartitioner.partitionOf(id, PARTITIONS);
            send(producer, new PetState(id, "player-" + id % 7, "Pet " + id, Species.CRAB, 0, 250, true, 1,
                    Cause.ADOPTED, clock[p], at, "adopt-" + id));
        }

        void feed(KafkaProducer<byte[], byte[]> producer, long id) {
            int p = PetPartitioner.partitionOf(id, PARTITIONS);
            PetState now = RULE.stateAt(last.get(id), clock[p], at);
            send(producer, new PetState(id, now.owner(), now.name(), now.species(), now.age(),
                    Math.max(0, now.hunger() - 100), true, now.version() + 1, Cause.FED, clock[p], at,
                    "meal-" + id + "-" + (now.version() + 1)));
        }

        void tickAll(KafkaProducer<byte[], byte[]> producer) {
            at += 5_000;
            for (int p = 0; p < PARTITIONS; p++) {
                clock[p]++;
                PartitionTick tick = new PartitionTick(p, PARTITIONS, clock[p], at, RULE);
                producer.send(new ProducerRecord<>(Topics.PET_STATE, p, PetStateCodec.tickKey(p), PetStateCodec.write(tick)));
            }
        }

        private void send(KafkaProducer<byte[], byte[]> producer, PetState event) {
            last.put(event.id(), event);
            producer.send(new ProducerRecord<>(Topics.PET_STATE, PetPartitioner.partitionOf(event.id(), PARTITIONS),
                    PetStateCodec.key(event.id()), PetStateCodec.write(event)));
        }

        Map<Long, Long> versions() {
            Map<Long, Long> versions = new HashMap<>();
            last.forEach((id, event) -> versions.put(id, event.version()));
            return versions;
        }

        Map<Integer, Long> ticks() {
            Map<Integer, Long> ticks = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                ticks.put(p, clock[p]);
            }
            return ticks;
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Connection db() throws Exception {
        return DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
    }

    /** Other connections' statements waiting for a lock: the service's writes behind the test's lock. */
    private static int waitingOnTheLock(Connection lock) throws Exception {
        try (Statement s = lock.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")) {
            r.next();
            return r.getInt(1);
        }
    }

    private Map<Long, Long> rowVersions() throws Exception {
        Map<Long, Long> rows = new HashMap<>();
        try (Connection db = db(); Statement q = db.createStatement();
             ResultSet r = q.executeQuery("SELECT id, version FROM pets")) {
            while (r.next()) {
                rows.put(r.getLong(1), r.getLong(2));
            }
        }
        return rows;
    }

    private Map<Integer, Long> clockTicks() throws Exception {
        Map<Integer, Long> clocks = new HashMap<>();
        try (Connection db = db(); Statement q = db.createStatement();
             ResultSet r = q.executeQuery("SELECT partition, tick FROM partition_clocks")) {
            while (r.next()) {
                clocks.put(r.getInt(1), r.getLong(2));
            }
        }
        return clocks;
    }

    /** The persistence group's committed offsets on pet-state. */
    private Map<TopicPartition, Long> committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets("livepet-persistence").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, o) -> {
                        if (o != null && tp.topic().equals(Topics.PET_STATE)) {
                            committed.put(tp, o.offset());
                        }
                    });
            return committed;
        }
    }

    private long uncommitted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("livepet-persistence")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(Topics.PET_STATE, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
            long behind = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                behind += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return behind;
        }
    }

    private ServiceProcess start(Map<String, String> env, Path dir) {
        int port = LocalStackSettings.freePort();
        ServiceProcess s = ServiceProcess.start("persistence-service", home, port, env, dir.resolve("logs-" + port),
                dir.resolve("pids-" + port));
        services.add(s);
        return s;
    }
}
