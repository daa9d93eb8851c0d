package dev.livepet.system;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.TickRule;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import dev.livepet.stack.World;
import dev.livepet.stack.WorldSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./livepet topics repartition --to N} on a world the services made: refused while they run; with them
 * stopped, every pet moves once to its new partition with the age and hunger it had at its old clock; started again,
 * the simulator takes the new count and ticks on, and the persistence service refills pets_now with the same pets.
 */
class RepartitionIT {
    static final int OLD = 6, NEW = 10, PETS = 300;
    static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void aStoppedWorldMovesToTenPartitionsAndGoesOn() throws Exception {
        Path home = Path.of(System.getProperty("livepet.home", "..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("livepet-repartition");
        WorldSettings settings = new WorldSettings(home, data, LocalStackSettings.freePort(), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), OLD, PETS, Map.of("LIVEPET_WORLD_TICK_INTERVAL", "1s"),
                Set.of("viewer-service"));
        try (World world = World.start(settings, System.out)) {
            LocalStack stack = world.stack();
            await().atMost(PATIENCE).until(() -> count(stack, "SELECT count(*) FROM pets_now") == PETS
                    && count(stack, "SELECT count(*) FROM partition_clocks WHERE tick >= 3") == OLD);

            Cli up = repartition(stack, "--to", String.valueOf(NEW));
            assertThat(up.exit).isEqualTo(1);
            assertThat(up.err).startsWith("livepet: the world is up: the group livepet-");

            List<ServiceProcess> services = new ArrayList<>(world.services());
            for (int i = services.size() - 1; i >= 0; i--) {
                services.get(i).stop();
            }
            // what each pet was when the world stopped: its last event at its partition's last tick
            Map<Long, PetState> then = new HashMap<>();
            try (PetStateLog old = new PetStateLog(stack.kafkaBootstrapServers())) {
                old.awaitCaughtUp(PATIENCE);
                old.all().forEach((id, events) -> {
                    List<PartitionTick> ticks = old.ticksOf(PetPartitioner.partitionOf(id, OLD));
                    PetState last = events.get(events.size() - 1);
                    then.put(id, ticks.isEmpty() ? last : TickRule.stateAt(last, ticks.get(ticks.size() - 1)));
                });
            }
            assertThat(then).hasSize(PETS);

            Cli moved = repartition(stack, "--to", String.valueOf(NEW));
            assertThat(moved.exit).as(moved.err).isZero();
            assertThat(moved.out).contains("moving it from 6 to 10 partitions", "300 pets (0 of them dead) move",
                    "partition_clocks rows of the old count deleted", "the world now has 10 partitions");
            long common;
            try (PetStateLog log = new PetStateLog(stack.kafkaBootstrapServers())) {
                log.awaitCaughtUp(PATIENCE);
                assertThat(log.partitions()).isEqualTo(NEW);
                assertThat(log.unreadable()).isEmpty(); // every record in its partition: murmur2(id) % 10
                Map<Long, List<PetState>> pets = log.all();
                assertThat(pets.keySet()).isEqualTo(then.keySet());
                pets.forEach((id, events) -> {
                    assertThat(events).as("pet %d", id).hasSize(1);
                    PetState now = events.get(0);
                    assertThat(now.age()).as("age of pet %d", id).isEqualTo(then.get(id).age());
                    assertThat(now.hunger()).as("hunger of pet %d", id).isEqualTo(then.get(id).hunger());
                    assertThat(now.version()).isEqualTo(then.get(id).version() + 1);
                });
                common = log.ticksOf(0).get(0).tick();
                for (int p = 0; p < NEW; p++) {
                    assertThat(log.ticksOf(p)).hasSize(1);
                    assertThat(log.ticksOf(p).get(0).partitions()).isEqualTo(NEW);
                    assertThat(log.ticksOf(p).get(0).tick()).isEqualTo(common);
                }
                assertThat(count(stack, "SELECT count(*) FROM partition_clocks")).isZero();

                // started again: the simulator takes the ten partitions and ticks on, the persistence service refills
                world.restart("persistence-service");
                await().atMost(PATIENCE).until(() -> world.service("persistence-service").isReady());
                world.restart("simulator-service");
                await().atMost(PATIENCE).until(() -> world.service("simulator-service").isReady());
                await().atMost(PATIENCE).until(() -> log.latestTicks().size() == NEW
                        && log.latestTicks().values().stream().allMatch(t -> t >= common + 2));
                assertThat(log.ticksOf(3)).allSatisfy(t -> assertThat(t.partitions()).isEqualTo(NEW));
            }
            await().atMost(PATIENCE).until(() -> count(stack, "SELECT count(*) FROM partition_clocks WHERE partitions = "
                    + NEW + " AND tick > " + common) == NEW);
            try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
                 ResultSet r = c.createStatement().executeQuery("SELECT id, partition, age, hunger, version, tick FROM pets_now")) {
                int rows = 0;
                while (r.next()) {
                    rows++;
                    long id = r.getLong("id");
                    PetState was = then.get(id);
                    assertThat(was).as("pet %d", id).isNotNull();
                    assertThat(r.getInt("partition")).isEqualTo(PetPartitioner.partitionOf(id, NEW));
                    assertThat(r.getLong("version")).isEqualTo(was.version() + 1);
                    // no tick lost: aged from its old age by exactly the ticks its new partition went on from the common one
                    long since = r.getLong("tick") - common;
                    assertThat(since).isPositive();
                    assertThat(r.getInt("age")).as("age of pet %d", id).isEqualTo(was.age() + since);
                }
                assertThat(rows).isEqualTo(PETS);
            }
        } finally {
            LocalStack.deleteTree(data);
        }
    }

    private static long count(LocalStack stack, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private record Cli(int exit, String out, String err) {
    }

    /** {@code ./livepet topics repartition} against the world's broker and PostgreSQL, as its own process. */
    private static Cli repartition(LocalStack stack, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"),
                "dev.livepet.stack.TopicsMain", "repartition"));
        command.addAll(List.of(args));
        command.addAll(List.of("--bootstrap", stack.kafkaBootstrapServers(), "--jdbc", stack.jdbcUrl(),
                "--db-user", LocalStackSettings.USER, "--db-password", LocalStackSettings.PASSWORD));
        Path err = Files.createTempFile("repartition", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        System.out.print(out);
        String said = Files.readString(err);
        System.out.print(said);
        Files.delete(err);
        return new Cli(p.exitValue(), out, said);
    }
}
