package dev.livepet.system;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several simulator processes on a real broker: partitions move between them, a crashed one is replaced,
 * and every pet is still ticked by exactly one owner with every accepted command applied exactly once.
 */
class SimulatorOwnershipIT {
    private final Path home = Path.of(System.getProperty("livepet.home", "..")).toAbsolutePath().normalize();
    private final List<ServiceProcess> simulators = new ArrayList<>();
    private Path dir;
    private LocalStack stack;
    private PetStateLog log;

    @BeforeEach
    void startStack() throws Exception {
        dir = Files.createTempDirectory("livepet-ownership");
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir.resolve("data"), 6));
        log = new PetStateLog(stack.kafkaBootstrapServers());
    }

    @AfterEach
    void stopAll() throws Exception {
        simulators.forEach(ServiceProcess::stop);
        log.close();
        stack.close();
    }

    @Test
    void oneThenThreeThenOneInstanceTickEveryPetWithNoGapAndNoRepeat() {
        int pets = 300;
        ServiceProcess a = simulator("a", Map.of("LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(pets)));
        awaitReady(a);
        await().atMost(Duration.ofSeconds(60)).until(() -> log.latestVersions().size() == pets);

        ServiceProcess b = simulator("b", Map.of());
        ServiceProcess c = simulator("c", Map.of());
        awaitReady(b);
        awaitReady(c);
        await().atMost(Duration.ofSeconds(60)).until(() -> groupMembersOwningPartitions() == 3);
        awaitEveryPetChangedAgain(pets);

        b.stop();
        c.stop();
        await().atMost(Duration.ofSeconds(120)).until(() -> groupMembersOwningPartitions() == 1);
        awaitEveryPetChangedAgain(pets);
        a.stop();

        assertEveryPetHasOneGaplessHistory(pets);
    }

    @Test
    void aFeedAcceptedBeforeAKillDashNineIsAppliedExactlyOnceAfterTheRestart() throws Exception {
        ServiceProcess first = simulator("solo", Map.of());
        awaitReady(first);
        List<Long> ids = new ArrayList<>();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        try (KafkaProducer<String, byte[]> players = commandProducer()) {
            for (long id = 1; id <= 24; id++) {
                ids.add(id);
                send(players, new AdoptCommand("adopt-" + id, id, "player", "Pet " + id, Species.CRAB));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> log.latestVersions().size() == ids.size());

            // feeds keep coming while the simulator is killed and replaced: some are consumed but not yet committed
            int sent = 0;
            ServiceProcess second = null;
            for (int round = 0; round < 40; round++) {
                for (long id : ids) {
                    String commandId = "treat-" + id + "-" + round;
                    send(players, new FeedCommand(commandId, id, Food.TREAT, "giver"));
                    accepted.add(commandId);
                    sent++;
                }
                if (round == 15) {
                    first.kill();
                    second = simulator("solo", Map.of());
                }
                Thread.sleep(100);
            }
            awaitReady(second);
            assertThat(sent).isEqualTo(accepted.size());
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> appliedCommands().keySet().containsAll(accepted));
        Map<String, Long> applied = appliedCommands();
        assertThat(applied.entrySet().stream().filter(e -> e.getValue() != 1).toList())
                .as("commands applied more than once").isEmpty();
        assertEveryPetHasOneGaplessHistory(ids.size());
    }

    @Test
    void aDeadPetIsNeverTickedAgain() throws Exception {
        // pets die after their fourth tick here
        ServiceProcess a = simulator("mortal", Map.of("LIVEPET_SIMULATOR_SEED_PETS", "30", "LIVEPET_WORLD_MAX_AGE", "3"));
        awaitReady(a);
        await().atMost(Duration.ofSeconds(60)).until(() -> log.all().size() == 30
                && log.all().values().stream().allMatch(h -> h.get(h.size() - 1).cause() == Cause.DIED));
        Map<Long, Integer> historyAtDeath = log.all().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));

        // a newcomer lives and dies through four more ticks: time enough for the dead to be ticked, were they
        long newcomer = 1_000_000;
        try (KafkaProducer<String, byte[]> players = commandProducer()) {
            send(players, new AdoptCommand("late", newcomer, "player", "Latecomer", Species.FOX));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<PetState> h = log.of(newcomer);
            return !h.isEmpty() && h.get(h.size() - 1).cause() == Cause.DIED;
        });
        assertThat(log.of(newcomer)).extracting(PetState::age).containsExactly(0, 1, 2, 3, 4);
        historyAtDeath.forEach((id, size) -> assertThat(log.of(id)).as("pet %d after its death", id).hasSize(size));
        historyAtDeath.keySet().forEach(id -> {
            List<PetState> h = log.of(id);
            assertThat(h.stream().filter(s -> !s.alive()).toList()).as("pet %d is published dead once", id).hasSize(1);
        });
    }

    private ServiceProcess simulator(String instance, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
        env.put("LIVEPET_SIMULATOR_INSTANCE_ID", instance);
        env.put("LIVEPET_WORLD_TICK_INTERVAL", "1s");
        env.put("LIVEPET_SIMULATOR_SLICES", "10");
        ServiceProcess s = ServiceProcess.start("simulator-service", home, LocalStackSettings.freePort(), env,
                dir.resolve("logs"), dir.resolve("pids"));
        simulators.add(s);
        return s;
    }

    static void awaitReady(ServiceProcess s) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!s.isAlive()) {
                throw new AssertionError(s.name() + " died:\n" + s.tail(40));
            }
            return s.isReady();
        });
    }

    /** Waits until every pet has a committed change newer than the newest it had when called. */
    private void awaitEveryPetChangedAgain(int pets) {
        Map<Long, Long> before = log.latestVersions();
        assertThat(before).hasSize(pets);
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            Map<Long, Long> now = log.latestVersions();
            return before.entrySet().stream().allMatch(e -> now.get(e.getKey()) > e.getValue());
        });
    }

    /** Each pet's committed versions run 1, 2, 3 … with none missing and none twice; its age never jumps. */
    private void assertEveryPetHasOneGaplessHistory(int pets) {
        Map<Long, List<PetState>> all = log.all();
        assertThat(all).hasSize(pets);
        all.forEach((id, history) -> {
            for (int i = 0; i < history.size(); i++) {
                PetState s = history.get(i);
                assertThat(s.version()).as("version %d of pet %d", i + 1, id).isEqualTo(i + 1);
                if (i > 0) {
                    int step = s.age() - history.get(i - 1).age();
                    assertThat(step).as("age step of pet %d at version %d", id, s.version())
                            .isEqualTo(s.cause() == Cause.TICK || s.cause() == Cause.DIED ? 1 : 0);
                }
            }
        });
    }

    private Map<String, Long> appliedCommands() {
        return log.all().values().stream().flatMap(List::stream).map(PetState::command)
                .filter(c -> c != null && c.startsWith("treat-"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private long groupMembersOwningPartitions() throws Exception {
        return SimulatorGroup.owners(stack.kafkaBootstrapServers()).size();
    }

    private KafkaProducer<String, byte[]> commandProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, PetCommand command) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetPartitioner.key(command.petId()),
                PetJson.write(command))).get();
    }
}
