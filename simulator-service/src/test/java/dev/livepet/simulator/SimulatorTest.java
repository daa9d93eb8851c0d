package dev.livepet.simulator;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import dev.livepet.simulator.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(PreloadedWorld.class)
class SimulatorTest {
    @Inject
    Simulator simulator;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe probe;

    @BeforeEach
    void simulatorOwnsTheWorld() {
        probe = new KafkaProbe(bootstrapServers);
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
    }

    @AfterEach
    void closeProbe() {
        probe.close();
    }

    @Test
    void aRestoredPetContinuesItsVersionsWhenFedAndLaterTicks() {
        long pet = PreloadedWorld.restoredPets(probe.partitions()).get(0);
        String meal = newId("meal");

        probe.send(new FeedCommand(meal, pet, Food.MEAL, "giver"));
        List<PetState> states = probe.states(pet, s -> changesAfter(s, meal) >= 2);

        // the six preloaded records come first; the simulator continues from the highest version, not the last record
        assertThat(states.subList(0, 6)).extracting(PetState::version).containsExactly(1L, 2L, 3L, 4L, 5L, 2L);
        List<PetState> simulated = states.subList(6, states.size());
        PetState first = simulated.get(0);
        assertThat(first.version()).isEqualTo(PreloadedWorld.RESTORED_VERSION + 1);
        assertThat(first.age()).as("downtime does not age a pet")
                .isEqualTo(first.cause() == Cause.TICK ? PreloadedWorld.RESTORED_AGE + 1 : PreloadedWorld.RESTORED_AGE);
        assertFollowsTheRules(PreloadedWorld.restored(pet), simulated);
        PetState fed = simulated.stream().filter(s -> meal.equals(s.command())).findFirst().orElseThrow();
        assertThat(fed.cause()).isEqualTo(Cause.FED);
        assertThat(fed.owner()).isEqualTo("preloader");
        assertThat(fed.species()).isEqualTo(Species.SEA_TURTLE);
    }

    @Test
    void aRetriedCommandIsAppliedOnceEvenWhenItWasAppliedBeforeTheRestore() {
        long pet = PreloadedWorld.restoredPets(probe.partitions()).get(1);
        String treat = newId("treat");
        String marker = newId("marker");

        probe.send(new FeedCommand(PreloadedWorld.restoredCommand(pet), pet, Food.MEAL, "giver"));
        probe.send(new FeedCommand(treat, pet, Food.TREAT, "giver"));
        probe.send(new FeedCommand(treat, pet, Food.TREAT, "giver"));
        probe.send(new FeedCommand(marker, pet, Food.TREAT, "giver"));
        // commands of one pet are applied in order: once the marker shows, the others have been handled
        List<PetState> states = probe.states(pet, s -> changesAfter(s, marker) >= 0);

        List<PetState> simulated = states.subList(6, states.size());
        Map<String, Long> byCommand = simulated.stream().filter(s -> s.command() != null)
                .collect(Collectors.groupingBy(PetState::command, Collectors.counting()));
        assertThat(byCommand).containsOnly(Map.entry(treat, 1L), Map.entry(marker, 1L));
        assertFollowsTheRules(PreloadedWorld.restored(pet), simulated);
    }

    @Test
    void anAdoptedPetIsPublishedAtOnceAndThenTicks() {
        long pet = newPetId();
        String adopt = newId("adopt");

        probe.send(new AdoptCommand(adopt, pet, "alice", "Pixel", Species.CAT));
        List<PetState> states = probe.states(pet, s -> s.size() >= 3);

        PetState adopted = states.get(0);
        assertThat(adopted).usingRecursiveComparison().ignoringFields("at")
                .isEqualTo(new PetState(pet, "alice", "Pixel", Species.CAT, 0, 250, true, 1, Cause.ADOPTED, 0, adopt));
        assertThat(states.subList(1, 3)).extracting(PetState::cause).containsOnly(Cause.TICK);
        assertThat(states.subList(1, 3)).extracting(PetState::age).containsExactly(1, 2);
        assertThat(states.subList(1, 3)).extracting(PetState::hunger).containsExactly(255, 260);
        assertFollowsTheRules(adopted, states.subList(1, states.size()));
    }

    @Test
    void poisonAndRefusedCommandsGoToTheDeadLetterTopicWithAReasonAndTheNextCommandIsApplied() {
        long pet = newPetId();
        long stranger = newPetId();
        long elsewhere = newPetId();
        String adopt = newId("adopt");

        probe.send(Topics.PET_COMMANDS, KafkaProbe.key(pet), "{this is no command".getBytes(StandardCharsets.UTF_8));
        probe.send(new AdoptCommand(adopt, pet, "alice", "Biscuit", Species.DOG));
        probe.send(new FeedCommand(newId("meal"), stranger, Food.MEAL, "alice"));
        probe.send(new AdoptCommand(newId("adopt"), pet, "bob", "Copycat", Species.DOG));
        probe.send(Topics.PET_COMMANDS, KafkaProbe.key(pet),
                PetJson.write(new FeedCommand(newId("meal"), elsewhere, Food.MEAL, "alice")));

        List<PetState> states = probe.states(pet, s -> !s.isEmpty());
        List<ConsumerRecord<byte[], byte[]>> letters = probe.deadLetters(l ->
                reasonsFor(l, pet).size() >= 3 && !reasonsFor(l, stranger).isEmpty());

        assertThat(states.get(0).cause()).isEqualTo(Cause.ADOPTED);
        assertThat(states.get(0).command()).isEqualTo(adopt);
        assertThat(states.get(0).name()).isEqualTo("Biscuit");
        assertThat(reasonsFor(letters, stranger)).singleElement().asString().contains("no pet " + stranger);
        List<String> reasons = reasonsFor(letters, pet);
        assertThat(reasons).hasSize(3);
        assertThat(reasons.get(0)).startsWith("unreadable command");
        assertThat(reasons.get(1)).contains("already exists");
        assertThat(reasons.get(2)).contains("is not the command's pet id " + elsewhere);
        ConsumerRecord<byte[], byte[]> poison = letters.stream().filter(r -> Arrays.equals(r.key(), KafkaProbe.key(pet)))
                .findFirst().orElseThrow();
        assertThat(new String(poison.value(), StandardCharsets.UTF_8)).isEqualTo("{this is no command");
    }

    @Test
    void aRestartedSimulatorContinuesEveryPetWhereItStopped() {
        long pet = newPetId();
        probe.send(new AdoptCommand(newId("adopt"), pet, "carol", "Phoenix Wright", Species.PHOENIX));
        probe.states(pet, s -> s.size() >= 2);

        simulator.stop();
        assertThat(simulator.ready()).isFalse();
        int beforeRestart = probe.states(pet, s -> s.size() >= 2).size();
        simulator.start();
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        String meal = newId("meal");
        probe.send(new FeedCommand(meal, pet, Food.MEAL, "carol"));
        List<PetState> states = probe.states(pet, s -> s.size() > beforeRestart && changesAfter(s, meal) >= 2);

        assertThat(states.get(0).cause()).isEqualTo(Cause.ADOPTED);
        assertFollowsTheRules(states.get(0), states.subList(1, states.size()));
    }

    @Test
    void aRestoreWaitsForAStateTransactionThatIsStillOpenInsteadOfSkippingIt() throws Exception {
        long pet = newPetId();
        PetState written = new PetState(pet, "dora", "Late Larry", Species.CRAB, 70, 100, true, 7, Cause.FED,
                System.currentTimeMillis(), newId("meal"));
        simulator.stop();
        try (KafkaProducer<byte[], byte[]> other = probe.transactionalProducer()) {
            other.beginTransaction();
            other.send(new ProducerRecord<>(Topics.PET_STATE, KafkaProbe.key(pet), PetJson.write(written))).get();
            simulator.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> probe.groupHasAssignment(KafkaClients.GROUP_ID));
            Thread.sleep(1_000); // time for the restore to read as far as it would without waiting

            assertThat(simulator.ready()).as("restoring while a transaction on pet-state is open").isFalse();
            other.commitTransaction();
        }
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        List<PetState> states = probe.states(pet, s -> s.size() >= 3);

        assertThat(states.get(0)).isEqualTo(written);
        assertFollowsTheRules(written, states.subList(1, states.size()));
    }

    @Test
    void reportsReadyAliveAndItsMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("simulator-partitions"));
        given().get("/q/health/live").then().statusCode(200).body(containsString("simulator-loop"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("livepet_simulator_pets_alive"))
                .body(containsString("livepet_simulator_partitions_owned " + probe.partitions() + ".0"))
                .body(containsString("livepet_simulator_tick_lateness_seconds"))
                .body(containsString("livepet_simulator_records_published_total"))
                .body(containsString("livepet_simulator_restore_time_seconds"))
                // the preloaded pets live in partition 0
                .body(containsString("livepet_simulator_partition_pets_alive{partition=\"" + PreloadedWorld.PARTITION + "\"}"))
                .body(containsString("livepet_simulator_tick_duration_seconds"))
                .body(containsString("livepet_simulator_snapshots_written_total"))
                .body(containsString("livepet_simulator_restore_state_records_total"));
    }

    /** Every change after {@code before} grows the version by one and is a tick, a meal or a treat by the rules. */
    private static void assertFollowsTheRules(PetState before, List<PetState> changes) {
        PetState previous = before;
        for (PetState next : changes) {
            String step = previous + " -> " + next;
            assertThat(next.version()).as(step).isEqualTo(previous.version() + 1);
            assertThat(next.id()).isEqualTo(previous.id());
            switch (next.cause()) {
                case TICK -> {
                    assertThat(next.age()).as(step).isEqualTo(previous.age() + 1);
                    assertThat(next.hunger()).as(step).isEqualTo(Math.min(previous.hunger() + 5, 500));
                    assertThat(next.command()).as(step).isNull();
                }
                case FED -> {
                    assertThat(next.age()).as(step).isEqualTo(previous.age());
                    assertThat(next.hunger()).as(step).isEqualTo(Math.max(previous.hunger() - 100, 0));
                    assertThat(next.command()).as(step).isNotNull();
                }
                case TREAT -> {
                    assertThat(next.age()).as(step).isEqualTo(previous.age());
                    assertThat(next.hunger()).as(step).isEqualTo(Math.max(previous.hunger() - 20, 0));
                    assertThat(next.command()).as(step).isNotNull();
                }
                default -> throw new AssertionError("unexpected change " + step);
            }
            previous = next;
        }
    }

    /** How many changes came after the one caused by {@code commandId}; -1 while it has not come. */
    private static int changesAfter(List<PetState> states, String commandId) {
        for (int i = 0; i < states.size(); i++) {
            if (commandId.equals(states.get(i).command())) {
                return states.size() - 1 - i;
            }
        }
        return -1;
    }

    private static List<String> reasonsFor(List<ConsumerRecord<byte[], byte[]>> letters, long petId) {
        byte[] key = KafkaProbe.key(petId);
        Function<ConsumerRecord<byte[], byte[]>, String> reason = r -> {
            Header h = r.headers().lastHeader(Topics.DLQ_REASON_HEADER);
            return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        };
        return letters.stream().filter(r -> Arrays.equals(r.key(), key)).map(reason).toList();
    }

    private static long newPetId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, 8_000_000_000L);
    }

    private static String newId(String what) {
        return what + "-" + UUID.randomUUID();
    }
}
