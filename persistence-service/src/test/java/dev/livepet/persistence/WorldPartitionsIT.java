package dev.livepet.persistence;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Topics;
import dev.livepet.contract.WorldPartitions;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.LocalStackTestResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The partition-count guard as it works in production: the packaged service, started as its own JVM on this JVM's
 * stack (whose pet-state has {@code P} partitions), each time with a database of its own whose partition_clocks
 * recorded a count. Another count than P: the service does not start and says why. The same count: it starts, and
 * stops consuming at a tick of another count, which it never writes.
 */
class WorldPartitionsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "world-partitions-it");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final LocalStack stack = LocalStackTestResource.stack();
    private final int partitions = stack.settings().partitions();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopTheServices() throws InterruptedException {
        for (Process service : started) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void theServiceRefusesToStartWhenTheWorldsClocksRecordedAnotherPartitionCount() throws Exception {
        String database = worldThatTicked("world_of_" + (partitions + 2), partitions + 2);
        Path log = LOGS.resolve("refused.log");

        Process service = start(database, log);

        assertThat(service.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the service ended its start").isTrue();
        assertThat(service.exitValue()).as("its exit code").isNotZero();
        String said = Files.readString(log);
        assertThat(said).contains(WorldPartitions.mismatch(partitions, partitions + 2))
                .doesNotContain("Listening on:");
    }

    @Test
    void theServiceStartsWhenTheyRecordedTheTopicsCountAndStopsConsumingAtATickOfAnotherCount() throws Exception {
        String database = worldThatTicked("world_of_" + partitions, partitions);
        Path log = LOGS.resolve("stopped.log");
        int port = freePort(); // its management port: health is served there, never on the main port

        start(database, log, port);
        await().atMost(PATIENCE).until(() -> status(port, "/q/health/ready") == 200);

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            PartitionTick fine = new PartitionTick(0, partitions, 5, System.currentTimeMillis(), PetHistories.RULE);
            send(producer, fine);
            await().atMost(PATIENCE).until(() -> clockOf(database, 0) == 5);

            String mismatch = WorldPartitions.mismatch(partitions, partitions + 1);
            RecordMetadata otherWorld = send(producer,
                    new PartitionTick(0, partitions + 1, 6, System.currentTimeMillis(), PetHistories.RULE));

            await().atMost(PATIENCE).until(() -> status(port, "/q/health/live") == 503);
            assertThat(body(port, "/q/health/live")).contains("livepet-persistence-loop").contains(mismatch);
            assertThat(status(port, "/q/health/ready")).isEqualTo(503);
            assertThat(clockOf(database, 0)).as("the other world's tick is not written").isEqualTo(5);
            assertThat(recordedCounts(database)).containsExactly(partitions);
            assertThat(Files.readString(log)).contains(mismatch);
            // what came before it is committed as the consumer stops, never the other world's tick
            await().atMost(PATIENCE).until(() -> committed(0) == otherWorld.offset());
        }
    }

    /** A new database of the service's schema whose clocks recorded {@code recorded} partitions. */
    private String worldThatTicked(String name, int recorded) throws SQLException {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", "livepet")) {
            c.createStatement().execute("CREATE DATABASE " + name + " OWNER " + LocalStackSettings.USER);
        }
        String url = url(name);
        Flyway.configure().dataSource(url, LocalStackSettings.USER, LocalStackSettings.PASSWORD)
                .locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement s = c.prepareStatement("INSERT INTO partition_clocks (partition, partitions, tick, "
                     + "ticked_at, age_per_tick, hunger_per_tick, max_hunger) VALUES (0, ?, 1, ?, 1, 5, 500)")) {
            s.setInt(1, recorded);
            s.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
            s.executeUpdate();
        }
        return name;
    }

    private Process start(String database, Path log) throws IOException {
        return start(database, log, freePort());
    }

    private Process start(String database, Path log, int managementPort) throws IOException {
        assertThat(APP).as("the packaged service (mvn package builds it before the ITs)").exists();
        Files.createDirectories(LOGS);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", APP.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(stack.serviceEnvironment());
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", url(database));
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", url(database).substring("jdbc:".length()));
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        Process service = builder.start();
        started.add(service);
        return service;
    }

    private String url(String database) {
        return stack.jdbcUrl().substring(0, stack.jdbcUrl().lastIndexOf('/') + 1) + database;
    }

    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, PartitionTick tick) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.PET_STATE, tick.partition(), PetStateCodec.tickKey(tick.partition()),
                PetStateCodec.write(tick))).get(30, TimeUnit.SECONDS);
    }

    private long clockOf(String database, int partition) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(database), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement s = c.prepareStatement("SELECT tick FROM partition_clocks WHERE partition = ?")) {
            s.setInt(1, partition);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    private List<Integer> recordedCounts(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(database), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             ResultSet r = c.createStatement().executeQuery("SELECT DISTINCT partitions FROM partition_clocks")) {
            List<Integer> counts = new ArrayList<>();
            while (r.next()) {
                counts.add(r.getInt(1));
            }
            return counts;
        }
    }

    private long committed(int partition) {
        try (PetStateTopic topic = new PetStateTopic()) {
            return topic.committed(partition);
        }
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String body(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(request(port, path), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
