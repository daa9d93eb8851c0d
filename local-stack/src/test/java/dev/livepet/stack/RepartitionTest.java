package dev.livepet.stack;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ./livepet topics repartition --to N} on a stopped local world (a real broker and PostgreSQL, the pets'
 * events and ticks written with the contract's types): every pet moves once, with the state it had at its old
 * partition's clock, and the topics remember the new count; what must not be moved is refused.
 */
class RepartitionTest {
    static final int OLD = 4, NEW = 6, PETS = 60;
    static final TickRule RULE = new TickRule(1, 5, 500);
    static final long AT = 1_700_000_000_000L;

    @TempDir
    Path world; // a world's data folder, as ./livepet up keeps it

    @Test
    void movesEveryPetOnceWithTheStateOfItsOldClockAndRefusesWhatMustNotMove() throws Exception {
        Map<Long, PetState> last = new HashMap<>();
        PartitionTick[] clocks = new PartitionTick[OLD];
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts(WorldSettings.stackData(world), OLD))) {
            writeWorld(stack, last, clocks);
            clockRows(stack);
            String bootstrap = stack.kafkaBootstrapServers();
            List<String> cluster = List.of("--bootstrap", bootstrap, "--jdbc", stack.jdbcUrl(), "--db-user",
                    LocalStackSettings.USER, "--db-password", LocalStackSettings.PASSWORD);

            assertThatThrownBy(() -> repartition("--to", "0")).hasMessageContaining("from 1 to 100000");
            assertThatThrownBy(() -> repartition(cluster, "--to", String.valueOf(OLD)))
                    .isInstanceOf(MoveRefused.class).hasMessage("the world already has 4 partitions: nothing to do");
            assertThatThrownBy(() -> repartition(List.of("--bootstrap", bootstrap), "--to", "6"))
                    .hasMessageContaining("--skip-database");

            // a command the simulators have not applied would be lost with pet-commands
            try (var producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetStateCodec.key(7),
                        PetJson.write(new AdoptCommand("a-1", 7, "p", "Seven", Species.CAT)))).get();
            }
            assertThatThrownBy(() -> repartition(cluster, "--to", "6")).isInstanceOf(MoveRefused.class)
                    .hasMessageStartingWith("1 command(s) on pet-commands (partitions [" + PetPartitioner.partitionOf(7, OLD) + "])");

            // a persistence instance that is up: the world is up
            try (KafkaConsumer<byte[], byte[]> member = member(bootstrap, ServiceGroups.PERSISTENCE)) {
                member.subscribe(List.of(Topics.PET_STATE));
                long deadline = System.currentTimeMillis() + 30_000;
                while (member.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
                    member.poll(Duration.ofMillis(200));
                }
                assertThatThrownBy(() -> repartition(cluster, "--to", "6")).isInstanceOf(MoveRefused.class)
                        .hasMessageStartingWith("the world is up: the group livepet-persistence has 1 member(s)");
            }
            applyCommands(bootstrap);
        }

        // a service of the local world still runs (its pid file names a live quarkus-run.jar)
        Process service = new ProcessBuilder("bash", "-c", "sleep 60; true", "quarkus-run.jar").start();
        try {
            Files.createDirectories(world.resolve("pids"));
            Files.writeString(world.resolve("pids/simulator-service.pid"), Long.toString(service.pid()));
            assertThatThrownBy(() -> repartition("--to", "6", "--data", world.toString())).isInstanceOf(MoveRefused.class)
                    .hasMessageContaining("a service of the world in " + world + " still runs (simulator-service, pid");
        } finally {
            service.destroyForcibly().waitFor();
        }

        String said = repartition("--to", String.valueOf(NEW), "--data", world.toString());
        assertThat(said).contains("reading pet-state: ", "moving it from 4 to 6 partitions",
                "60 pets (1 of them dead) move; the 4 old clocks stood at ticks 3..6, every new one starts at tick 6",
                "writing the moved pets: 60 pets", "2 partition_clocks rows of the old count deleted",
                "consumer groups [livepet-simulator, livepet-persistence] deleted", "kept in " + world);
        try (var files = Files.list(world)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("the census kept during the move, gone after it")
                    .noneMatch(name -> name.endsWith(".census.jsonl"));
        }

        // ./livepet up without --partitions: the world's own count, from its topics
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts(WorldSettings.stackData(world),
                LocalStackSettings.THE_WORLDS_OWN))) {
            assertThat(stack.partitions()).isEqualTo(NEW);
            PetCensus census = PetCensus.take(stack.kafkaBootstrapServers(), NEW, "check", new PrintStream(new ByteArrayOutputStream()));
            assertThat(census.unusable()).isZero();
            assertThat(census.records()).isEqualTo(PETS + NEW); // each pet once, each partition's first tick
            assertThat(census.pets()).hasSize(PETS);
            last.values().forEach(pet -> {
                PartitionTick oldClock = clocks[PetPartitioner.partitionOf(pet.id(), OLD)];
                PetState then = TickRule.stateAt(pet, oldClock); // what it was, derived at its old clock
                PetState moved = census.pets().get(pet.id());
                assertThat(moved.age()).as("age of pet %d", pet.id()).isEqualTo(then.age());
                assertThat(moved.hunger()).as("hunger of pet %d", pet.id()).isEqualTo(then.hunger());
                assertThat(moved.alive()).isEqualTo(pet.alive());
                assertThat(moved.version()).isEqualTo(pet.version() + 1);
                assertThat(moved.cause()).isEqualTo(pet.cause());
                assertThat(moved.tick()).isEqualTo(6);
            });
            for (int p = 0; p < NEW; p++) {
                assertThat(census.clockOf(p)).isNotNull();
                assertThat(census.clockOf(p).partitions()).isEqualTo(NEW);
                assertThat(census.clockOf(p).tick()).isEqualTo(6);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
                for (String topic : PetTopics.NAMES) {
                    assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(NEW);
                }
                var config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.PET_STATE)))
                        .all().get().values().iterator().next();
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(config.get("min.cleanable.dirty.ratio").value()).isEqualTo("0.2");
                assertThat(ServiceGroups.simulatorOffsets(admin)).isEmpty();
            }
            try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
                 ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM partition_clocks")) {
                r.next();
                assertThat(r.getInt(1)).isZero();
            }
        }
    }

    @Test
    void aMoveThatStoppedAfterDeletingTheTopicsIsFinishedFromItsKeptCensus() throws Exception {
        Map<Long, PetState> last = new HashMap<>();
        PartitionTick[] clocks = new PartitionTick[OLD];
        Path kept = world.resolve("stopped-move.census.jsonl");
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts(WorldSettings.stackData(world), OLD))) {
            writeWorld(stack, last, clocks);
            clockRows(stack);
            String bootstrap = stack.kafkaBootstrapServers();
            // what a move keeps before it deletes the topics; then it stops, the topics gone
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                new KeptCensus(PetCensus.take(bootstrap, OLD, "census", new PrintStream(new ByteArrayOutputStream())),
                        PetTopics.shapes(admin), NEW).keep(kept);
                admin.deleteTopics(PetTopics.NAMES).all().get();
            }
        }
        assertThatThrownBy(() -> repartition("--to", "5", "--data", world.toString(), "--from", kept.toString()))
                .isInstanceOf(MoveRefused.class).hasMessageContaining("is a move to 6 partitions, not 5");

        String said = repartition("--to", String.valueOf(NEW), "--data", world.toString(), "--from", kept.toString());
        assertThat(said).contains("finishing the move kept in " + kept + ": 60 pets from 4 to 6 partitions",
                "every new one starts at tick 6", "stopped-move.census.jsonl deleted");
        assertThat(kept).doesNotExist();
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts(WorldSettings.stackData(world),
                LocalStackSettings.THE_WORLDS_OWN))) {
            assertThat(stack.partitions()).isEqualTo(NEW);
            PetCensus census = PetCensus.take(stack.kafkaBootstrapServers(), NEW, "check", new PrintStream(new ByteArrayOutputStream()));
            assertThat(census.pets()).hasSize(PETS);
            last.values().forEach(pet -> {
                PetState then = TickRule.stateAt(pet, clocks[PetPartitioner.partitionOf(pet.id(), OLD)]);
                PetState moved = census.pets().get(pet.id());
                assertThat(moved.age()).as("age of pet %d", pet.id()).isEqualTo(then.age());
                assertThat(moved.hunger()).as("hunger of pet %d", pet.id()).isEqualTo(then.hunger());
                assertThat(moved.version()).isEqualTo(pet.version() + 1);
            });
            for (int p = 0; p < NEW; p++) {
                assertThat(census.clockOf(p).tick()).isEqualTo(6);
            }
        }
    }

    /** Pets 1..60 adopted at tick 0; partition p ticks to 3 + p; pet 5 fed, pet 9 dead, pet 11 with a stale repeat. */
    private static void writeWorld(LocalStack stack, Map<Long, PetState> last, PartitionTick[] clocks) throws Exception {
        try (var producer = producer(stack.kafkaBootstrapServers())) {
            for (long id = 1; id <= PETS; id++) {
                send(producer, new PetState(id, id % 2 == 0 ? "player-" + id : null, "Pet " + id, Species.values()[(int) (id % 4)],
                        0, 250, true, 1, Cause.ADOPTED, 0, AT, null), last);
            }
            for (int p = 0; p < OLD; p++) {
                for (long t = 1; t <= 3 + p; t++) {
                    clocks[p] = new PartitionTick(p, OLD, t, AT + 5_000 * t, RULE);
                    producer.send(new ProducerRecord<>(Topics.PET_STATE, p, PetStateCodec.tickKey(p), PetStateCodec.write(clocks[p])));
                    if (t == 2) {
                        for (long id = 1; id <= PETS; id++) {
                            if (PetPartitioner.partitionOf(id, OLD) != p) {
                                continue;
                            }
                            if (id == 5) { // fed at tick 2: aged 2, hungered to 260, a meal takes 100
                                send(producer, new PetState(5, null, "Pet 5", Species.values()[1], 2, 160, true, 2, Cause.FED, 2, AT + 10_000, "c-5"), last);
                            } else if (id == 9) {
                                send(producer, new PetState(9, null, "Pet 9", Species.values()[1], 2, 260, false, 2, Cause.DIED, 2, AT + 10_000, null), last);
                            } else if (id == 11) {
                                PetState fed = new PetState(11, null, "Pet 11", Species.values()[3], 2, 160, true, 2, Cause.FED, 2, AT + 10_000, "c-11");
                                send(producer, fed, last);
                                // a stale copy of its first event after it: the higher version wins, not the later offset
                                producer.send(new ProducerRecord<>(Topics.PET_STATE, p, PetStateCodec.key(11), PetStateCodec.write(
                                        new PetState(11, null, "Pet 11", Species.values()[3], 0, 250, true, 1, Cause.ADOPTED, 0, AT, null))));
                            }
                        }
                    }
                }
            }
            producer.send(new ProducerRecord<>(Topics.PET_STATE, 0, "oops".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, PetState event, Map<Long, PetState> last) {
        producer.send(new ProducerRecord<>(Topics.PET_STATE, PetPartitioner.partitionOf(event.id(), OLD),
                PetStateCodec.key(event.id()), PetStateCodec.write(event)));
        last.put(event.id(), event);
    }

    /** The persistence service's clocks table (its V4 migration), with two rows of the old count. */
    private static void clockRows(LocalStack stack) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD)) {
            c.createStatement().execute("CREATE TABLE partition_clocks (partition integer PRIMARY KEY, partitions integer"
                    + " NOT NULL, tick bigint NOT NULL, ticked_at timestamptz NOT NULL, age_per_tick integer NOT NULL,"
                    + " hunger_per_tick integer NOT NULL, max_hunger integer NOT NULL)");
            c.createStatement().execute("INSERT INTO partition_clocks VALUES (0, 4, 3, now(), 1, 5, 500), (1, 4, 4, now(), 1, 5, 500)");
        }
    }

    /** The simulators' group commits past every command, as if it had applied them. */
    private static void applyCommands(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> simulator = member(bootstrap, ServiceGroups.SIMULATORS)) {
            List<TopicPartition> all = new java.util.ArrayList<>();
            for (int p = 0; p < OLD; p++) {
                all.add(new TopicPartition(Topics.PET_COMMANDS, p));
            }
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            simulator.endOffsets(all).forEach((tp, end) -> ends.put(tp, new OffsetAndMetadata(end)));
            simulator.commitSync(ends);
        }
    }

    private static KafkaConsumer<byte[], byte[]> member(String bootstrap, String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, group),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String repartition(String... args) throws Exception {
        return repartition(List.of(), args);
    }

    /** Runs {@code ./livepet topics repartition ARGS}, as TopicsMain runs it, and returns what it said. */
    private static String repartition(List<String> more, String... args) throws Exception {
        ArrayDeque<String> all = new ArrayDeque<>(List.of("repartition"));
        all.addAll(List.of(args));
        all.addAll(more);
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream was = System.out;
        System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            TopicsMain.run(all);
        } finally {
            System.setOut(was);
            System.out.print(said.toString(StandardCharsets.UTF_8));
        }
        return said.toString(StandardCharsets.UTF_8);
    }
}
