package dev.livepet.stack;

import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalStackTest {

    @TempDir
    Path dir;

    @Test
    void startsARealBrokerAndPostgresKeepsTheirDataAndRecoversFromAnOrphanedPostgres() throws Exception {
        LocalStackSettings settings = LocalStackSettings.onFreePorts(dir, 4);
        try (LocalStack stack = LocalStack.start(settings)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
                var topics = admin.describeTopics(List.of(Topics.PET_COMMANDS, Topics.PET_STATE)).allTopicNames().get();
                assertThat(topics.get(Topics.PET_COMMANDS).partitions()).hasSize(4);
                assertThat(topics.get(Topics.PET_STATE).partitions()).hasSize(4);
                var config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.PET_STATE)))
                        .all().get().values().iterator().next();
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
                var snapshots = admin.describeTopics(List.of(Topics.PET_SNAPSHOTS)).allTopicNames().get().get(Topics.PET_SNAPSHOTS);
                assertThat(snapshots.partitions()).hasSize(4);
                var snapshotConfig = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.PET_SNAPSHOTS)))
                        .all().get().values().iterator().next();
                assertThat(snapshotConfig.get("cleanup.policy").value()).isEqualTo("compact");
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.PET_STATE, 0, "1", "kept")).get();
            }
            try (var c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD)) {
                c.createStatement().execute("CREATE TABLE kept (v text)");
                c.createStatement().execute("INSERT INTO kept VALUES ('yes')");
            }
        }

        // a JVM killed with -9 leaves its postgres running
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrphanedPostgres.class.getName(),
                dir.resolve("postgres").toString(), String.valueOf(LocalStackSettings.freePort()))
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("postgres up")) {
                // wait for the child to report its postgres
            }
        }
        jvm.destroyForcibly().waitFor();
        long orphanPid = Long.parseLong(Files.readAllLines(dir.resolve("postgres/postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(orphanPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        try (LocalStack again = LocalStack.start(settings)) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            try (var c = DriverManager.getConnection(again.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
                 ResultSet r = c.createStatement().executeQuery("SELECT v FROM kept")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("yes");
            }
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, again.kafkaBootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                    new StringDeserializer(), new StringDeserializer())) {
                var tp = new TopicPartition(Topics.PET_STATE, 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                var records = consumer.poll(Duration.ofSeconds(10));
                assertThat(records.records(tp)).extracting(r -> r.value()).containsExactly("kept");
            }
        }
    }

    @Test
    void aBrokerInItsOwnProcessServesStopsAndStartsAgainWithItsData() throws Exception {
        LocalStackSettings settings = LocalStackSettings.onFreePorts(dir, 2);
        long firstPid;
        try (LocalStack stack = LocalStack.start(settings, Broker.Placement.OWN_PROCESS)) {
            firstPid = stack.brokerPid();
            assertThat(firstPid).isNotEqualTo(ProcessHandle.current().pid());
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.PET_STATE, 1, "7", "kept by its own broker")).get();
            }

            stack.stopKafka();
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            stack.startKafka();

            assertThat(stack.brokerPid()).isNotEqualTo(firstPid);
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                    new StringDeserializer(), new StringDeserializer())) {
                var tp = new TopicPartition(Topics.PET_STATE, 1);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                assertThat(consumer.poll(Duration.ofSeconds(30)).records(tp)).extracting(r -> r.value())
                        .containsExactly("kept by its own broker");
            }
            firstPid = stack.brokerPid();
        }
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aWorldFromBeforeTheEventsContractIsNamedAndANewOrCurrentOneIsNot() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts(dir.resolve("data"), 1));
             var c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD)) {
            assertThat(WorldMadeBefore.eventsContract(stack)).as("a new world").isEmpty();

            c.createStatement().execute("CREATE TABLE pets (id bigint PRIMARY KEY)");
            assertThat(WorldMadeBefore.eventsContract(stack)).hasValueSatisfying(why -> assertThat(why)
                    .contains(dir.toString()).contains("made before pets' events and partition clocks")
                    .contains("Start a new world"));

            c.createStatement().execute("CREATE TABLE partition_clocks (partition int PRIMARY KEY)");
            assertThat(WorldMadeBefore.eventsContract(stack)).as("a world of today's contract").isEmpty();
        }
    }
}
