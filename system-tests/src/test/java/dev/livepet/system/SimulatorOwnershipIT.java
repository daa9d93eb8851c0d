package dev.livepet.system;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
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
 * Several simulator processes on a real broker: partitions move between them, a crashed one is replaced, and every
 * partition's clock is still ticked by exactly one owner (ticks 1, 2, 3, … without gap or repeat), every pet's events
 * run 1, 2, 3, … with ages as the tick rule says, and every accepted command is applied exactly once.
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
    void oneThenThreeThenOneInstanceTickEveryPartitionWithNoGapAndNoRepeatAndKeepEveryPet() throws Exception {
        int pets = 300;
        ServiceProcess a = simulator("a", Map.of("LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(pets)));
        awaitReady(a);
        await().atMost(Duration.ofSeconds(60)).until(() -> log.latestVersions().size() == pets);

        ServiceProcess b = simulator("b", Map.of());
        ServiceProcess c = simulator("c", Map.of());
        awaitReady(b);
        awaitReady(c);
        await().atMost(Duration.ofSeconds(60)).until(() -> groupMembersOwningPartitions() == 3);
        awaitEveryPartitionTickedAgain();

        b.stop();
        c.stop();
        await().atMost(Duration.ofSeconds(120)).until(() -> groupMembersOwningPartitions() == 1);
        awaitEveryPartitionTickedAgain();
        // after the moves every pet still lives with the one owner: a treat to each is applied once
        Set<String> treats = new java.util.HashSet<>();
        try (KafkaProducer<String, byte[]> players = commandProducer()) {
            for (long id : log.latestVersions().keySet()) {
                String commandId = "census-" + id;
                send(players, new FeedCommand(commandId, id, Food.TREAT, "giver"));
                treats.add(commandId);
            }
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> appliedCommands("census-").keySet().containsAll(treats));
        a.stop();

        assertThat(appliedCommands("census-").values()).as("treats applied, each once").hasSize(pets).containsOnly(1L);
        assertEveryPetHasOneGaplessHistory(pets);
        assertEveryPartitionTickedOneByOne();
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

        await().atMost(Duration.ofSeconds(120)).until(() -> appliedCommands("treat-").keySet().containsAll(accepted));
        Map<String, Long> applied = appliedCommands("treat-");
        assertThat(applied.entrySet().stream().filter(e -> e.getValue() != 1).toList())
                .as("commands applied more than once").isEmpty();
        assertEveryPetHasOneGaplessHistory(ids.size());
        assertEveryPartitionTickedOneByOne();
    }

    @Test
    void aDeadPetNeverChangesAgain() throws Exception {
        // pets die at their fourth tick here, when their age exceeds 3
        ServiceProcess a = simulator("mortal", Map.of("LIVEPET_SIMULATOR_SEED_PETS", "30", "LIVEPET_WORLD_MAX_AGE", "3"));
        awaitReady(a);
        await().atMost(Duration.ofSeconds(60)).until(() -> log.all().size() == 30
                && log.all().values().stream().allMatch(h -> h.get(h.size() - 1).cause() == Cause.DIED));
        Map<Long, Integer> historyAtDeath = log.all().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));

        // a newcomer lives and dies through four more ticks: time enough for the dead to change, were they to
        long newcomer = 1_000_000;
        try (KafkaProducer<String, byte[]> players = commandProducer()) {
            send(players, new AdoptCommand("late", newcomer, "player", "Latecomer", Species.FOX));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<PetState> h = log.of(newcomer);
            return !h.isEmpty() && h.get(h.size() - 1).cause() == Cause.DIED;
        });
        // two events: its adoption, and its death four ticks later at the age the tick rule gives it then
        List<PetState> life = log.of(newcomer);
        assertThat(life).extracting(PetState::cause).containsExactly(Cause.ADOPTED, Cause.DIED);
        assertThat(life.get(1).tick()).isEqualTo(life.get(0).tick() + 4);
        assertThat(life.get(1).age()).isEqualTo(4);
        assertThat(life.get(1).alive()).isFalse();
        // a dead pet's state at any later tick is its death (the tick it died at comes right after the death)
        int partition = PetPartitioner.partitionOf(newcomer, log.partitions());
        await().atMost(Duration.ofSeconds(30)).until(() -> log.latestTicks().getOrDefault(partition, 0L) > life.get(1).tick());
        assertThat(TickRule.stateAt(life.get(1), lastTickOf(newcomer))).isEqualTo(life.get(1));
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

    /** Waits until every partition has a committed tick newer than the newest it had when called. */
    private void awaitEveryPartitionTickedAgain() {
        Map<Integer, Long> before = log.latestTicks();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            Map<Integer, Long> now = log.latestTicks();
            return now.size() == log.partitions()
                    && now.entrySet().stream().allMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L));
        });
    }

    /** Each partition's committed ticks run 1, 2, 3 … with none missing and none twice: one owner at a time. */
    private void assertEveryPartitionTickedOneByOne() {
        for (int p = 0; p < log.partitions(); p++) {
            List<PartitionTick> ticks = log.ticksOf(p);
            assertThat(ticks).as("ticks of partition %d", p).isNotEmpty();
            for (int i = 0; i < ticks.size(); i++) {
                assertThat(ticks.get(i).tick()).as("tick %d of partition %d", i + 1, p).isEqualTo(i + 1);
            }
        }
    }

    /**
     * Each pet's committed events run version 1, 2, 3 … with none missing and none twice, at ticks that never go
     * back, and each event's age is the tick rule's from the event before (no tick lost or applied twice).
     */
    private void assertEveryPetHasOneGaplessHistory(int pets) {
        Map<Long, List<PetState>> all = log.all();
        assertThat(all).hasSize(pets);
        all.forEach((id, history) -> {
            TickRule rule = lastTickOf(id).rule();
            for (int i = 0; i < history.size(); i++) {
                PetState s = history.get(i);
                assertThat(s.version()).as("version %d of pet %d", i + 1, id).isEqualTo(i + 1);
                if (i > 0) {
                    PetState before = history.get(i - 1);
                    assertThat(s.tick()).as("tick of pet %d at version %d", id, s.version()).isGreaterThanOrEqualTo(before.tick());
                    assertThat(s.age()).as("age of pet %d at version %d (tick %d, the event before at tick %d)", id,
                            s.version(), s.tick(), before.tick()).isEqualTo(rule.ageAfter(before.age(), s.tick() - before.tick()));
                }
            }
        });
    }

    /** The newest tick of the pet's partition. */
    private PartitionTick lastTickOf(long petId) {
        List<PartitionTick> ticks = log.ticksOf(PetPartitioner.partitionOf(petId, log.partitions()));
        assertThat(ticks).as("ticks of pet %d's partition", petId).isNotEmpty();
        return ticks.get(ticks.size() - 1);
    }

    private Map<String, Long> appliedCommands(String prefix) {
        return log.all().values().stream().flatMap(List::stream).map(PetState::command)
                .filter(c -> c != null && c.startsWith(prefix))
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
