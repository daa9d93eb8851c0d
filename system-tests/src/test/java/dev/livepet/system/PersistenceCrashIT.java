package dev.livepet.system;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The persistence service killed with -9 in the middle of its work: tick-only states it had read and held for the
 * next flush, not yet written, are read again by its replacement (nothing is published after the kill: only Kafka's
 * replay from the committed offsets brings them back). The replacement, stopped gracefully long before its own flush,
 * writes them on the way out and commits everything: every pet's row at the last version published.
 */
class PersistenceCrashIT {
    private static final int PETS = 600;
    private static final int TICKS = 8;
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
    void killedWithDashNineWhileTicksWaitItsReplacementReadsThemAgainAndWritesThemOnAGracefulStop()
            throws Exception {
        Path dir = Files.createTempDirectory("livepet-persistence-crash");
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir.resolve("data"), 6));
        Map<String, String> env = new LinkedHashMap<>(stack.serviceEnvironment());
        // a dead member leaves the group after 10 s instead of 45 s, so that its replacement gets the partitions
        env.put("KAFKA_SESSION_TIMEOUT_MS", "10000");
        Map<String, String> holdingTicks = new HashMap<>(env);
        holdingTicks.put("LIVEPET_PERSISTENCE_TICK_FLUSH_INTERVAL", "1h");

        ServiceProcess first = start(holdingTicks, dir, LocalStackSettings.freePort());
        SimulatorOwnershipIT.awaitReady(first);
        Map<Long, Long> published = publish();
        // the lifecycle lane wrote each adoption and meal at once; the ticks after the meal wait for a flush
        long fedAt = 2 + TICKS / 2;
        await().atMost(PATIENCE).until(() -> rowVersions().size() == PETS
                && rowVersions().values().stream().allMatch(v -> v == fedAt));

        first.kill();
        assertThat(rowVersions().values()).as("the ticks were still held, not written").containsOnly(fedAt);

        int port = LocalStackSettings.freePort();
        ServiceProcess second = start(holdingTicks, dir, port);
        SimulatorOwnershipIT.awaitReady(second);
        // the replacement read the uncommitted records again: every pet's newest tick waits in its tick lane
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> pendingTicks(port) == PETS);
        assertThat(rowVersions().values()).as("its flush is an hour away").containsOnly(fedAt);

        second.stop(); // SIGTERM, as Kubernetes stops a pod: what waits is written, then everything committed
        assertThat(second.tail(40)).as("stopped gracefully, not killed after the grace period").contains("stopped in");
        assertThat(rowVersions()).as("every pet's row at the last version published").isEqualTo(published);
        assertThat(uncommitted()).as("records of pet-state the persistence group has not committed").isZero();
    }

    /** Per pet: adopted (v1), ticks, a meal (a lifecycle change), more ticks. Returns each pet's last version. */
    private Map<Long, Long> publish() throws Exception {
        Map<Long, Long> last = new HashMap<>();
        long at = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> world = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (long id = 1; id <= PETS; id++) {
                long version = 1;
                send(world, new PetState(id, "player-" + id % 7, "Pet " + id, Species.CRAB, 0, 0, true, version,
                        Cause.ADOPTED, at, "adopt-" + id));
                for (int tick = 1; tick <= TICKS; tick++) {
                    version++;
                    Cause cause = tick == TICKS / 2 + 1 ? Cause.FED : Cause.TICK;
                    send(world, new PetState(id, "player-" + id % 7, "Pet " + id, Species.CRAB, tick, 5 * tick, true,
                            version, cause, at + 5_000L * tick, cause == Cause.FED ? "meal-" + id : null));
                }
                last.put(id, version);
            }
            world.flush();
        }
        return last;
    }

    private static void send(KafkaProducer<String, byte[]> world, PetState state) {
        world.send(new ProducerRecord<>(Topics.PET_STATE, state.key(), PetJson.write(state)));
    }

    private Map<Long, Long> rowVersions() throws Exception {
        Map<Long, Long> rows = new HashMap<>();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             Statement q = db.createStatement();
             ResultSet r = q.executeQuery("SELECT id, version FROM pets")) {
            while (r.next()) {
                rows.put(r.getLong(1), r.getLong(2));
            }
        }
        return rows;
    }

    private long uncommitted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("livepet-persistence")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < stack.settings().partitions(); p++) {
                latest.put(new TopicPartition(Topics.PET_STATE, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get(30, TimeUnit.SECONDS);
            long behind = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                behind += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return behind;
        }
    }

    /** The persistence service's own gauge of the tick lane: pets whose newest tick waits for a flush. */
    private static double pendingTicks(int port) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("livepet_persistence_tick_pending_pets"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }

    private ServiceProcess start(Map<String, String> env, Path dir, int port) {
        ServiceProcess s = ServiceProcess.start("persistence-service", home, port, env, dir.resolve("logs-" + port),
                dir.resolve("pids-" + port));
        services.add(s);
        return s;
    }
}
