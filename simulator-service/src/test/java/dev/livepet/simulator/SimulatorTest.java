package dev.livepet.simulator;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import dev.livepet.simulator.kafka.KafkaClients;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
    private static final TickRule RULE = new TickRule(1, 5, 500);

    @Inject
    Simulator simulator;

    @Inject
    WorldConfig world;

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
    void aRestoredPetContinuesItsVersionsFromTheHighestAndItsAgeFromThePartitionsClock() {
        long pet = PreloadedWorld.restoredPets(probe.partitions()).get(0);
        String meal = newId("meal");

        probe.send(new FeedCommand(meal, pet, Food.MEAL, "giver"));
        List<PetState> events = probe.events(pet, e -> eventOf(e, meal) != null);

        // the six preloaded events come first; the simulator continues from the highest version, not the last record
        assertThat(events.subList(0, 6)).extracting(PetState::version).containsExactly(1L, 2L, 3L, 4L, 5L, 2L);
        PetState fed = events.get(6);
        assertThat(fed.command()).isEqualTo(meal);
        assertThat(fed.version()).isEqualTo(PreloadedWorld.RESTORED_VERSION + 1);
        assertThat(fed.tick()).as("the partition's clock went on from its last preloaded tick")
                .isGreaterThanOrEqualTo(PreloadedWorld.RESTORED_CLOCK);
        assertFollowsTheRules(PreloadedWorld.restored(pet), events.subList(6, events.size()));
        assertThat(fed.age()).isEqualTo(PreloadedWorld.RESTORED_AGE + (int) (fed.tick() - PreloadedWorld.RESTORED_TICK));
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
        List<PetState> events = probe.events(pet, e -> eventOf(e, marker) != null);

        List<PetState> simulated = events.subList(6, events.size());
        Map<String, Long> byCommand = simulated.stream().filter(s -> s.command() != null)
                .collect(Collectors.groupingBy(PetState::command, Collectors.counting()));
        assertThat(byCommand).containsOnly(Map.entry(treat, 1L), Map.entry(marker, 1L));
        assertFollowsTheRules(PreloadedWorld.restored(pet), simulated);
    }

    @Test
    void anAdoptedPetIsPublishedAtOnceAtItsPartitionsTickAndAgesWithTheTicksAfterIt() {
        long pet = newPetId();
        String adopt = newId("adopt");

        probe.send(new AdoptCommand(adopt, pet, "alice", "Pixel", Species.CAT));
        PetState adopted = probe.events(pet, e -> !e.isEmpty()).get(0);
        List<PartitionTick> ticks = probe.ticks(probe.partitionOf(pet), t -> ticksAfter(t, adopted.tick()) >= 2);

        assertThat(adopted).usingRecursiveComparison().ignoringFields("at", "tick")
                .isEqualTo(new PetState(pet, "alice", "Pixel", Species.CAT, 0, 250, true, 1, Cause.ADOPTED, 0, 0, adopt));
        PartitionTick second = ticks.stream().filter(t -> t.tick() == adopted.tick() + 2).findFirst().orElseThrow();
        PetState twoTicksLater = TickRule.stateAt(adopted, second);
        assertThat(twoTicksLater.age()).isEqualTo(2);
        assertThat(twoTicksLater.hunger()).isEqualTo(260);
        assertThat(second.rule()).isEqualTo(RULE);
        assertThat(second.partitions()).isEqualTo(probe.partitions());
        assertThat(second.at()).isGreaterThanOrEqualTo(adopted.at());
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

        List<PetState> events = probe.events(pet, s -> !s.isEmpty());
        List<ConsumerRecord<byte[], byte[]>> letters = probe.deadLetters(l ->
                reasonsFor(l, pet).size() >= 3 && !reasonsFor(l, stranger).isEmpty());

        assertThat(events.get(0).cause()).isEqualTo(Cause.ADOPTED);
        assertThat(events.get(0).command()).isEqualTo(adopt);
        assertThat(events.get(0).name()).isEqualTo("Biscuit");
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
    void aRestartedSimulatorGoesOnWithEachPartitionsClockSoDowntimeDoesNotAgePets() {
        long pet = newPetId();
        int partition = probe.partitionOf(pet);
        probe.send(new AdoptCommand(newId("adopt"), pet, "carol", "Phoenix Wright", Species.PHOENIX));
        PetState adopted = probe.events(pet, e -> !e.isEmpty()).get(0);
        probe.ticks(partition, t -> ticksAfter(t, adopted.tick()) >= 2);

        simulator.stop();
        assertThat(simulator.ready()).isFalse();
        PartitionTick lastBeforeStop = lastOf(probe.ticksSoFar(partition));
        long downtimeMillis = 4 * world.tickInterval().toMillis();
        // the world stays down for four tick intervals
        await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() > lastBeforeStop.at() + downtimeMillis);
        simulator.start();
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        String meal = newId("meal");
        probe.send(new FeedCommand(meal, pet, Food.MEAL, "carol"));
        PetState fed = eventOf(probe.events(pet, e -> eventOf(e, meal) != null), meal);
        List<PartitionTick> ticks = probe.ticks(partition, t -> ticksAfter(t, lastBeforeStop.tick()) >= 1);

        PartitionTick firstAfterRestart = ticks.stream().filter(t -> t.tick() == lastBeforeStop.tick() + 1)
                .findFirst().orElseThrow();
        assertThat(firstAfterRestart.at() - lastBeforeStop.at()).as("the world was down that long")
                .isGreaterThan(downtimeMillis);
        assertThat(TickRule.stateAt(adopted, firstAfterRestart).age())
                .as("one tick after the last before the stop: the downtime did not age the pet")
                .isEqualTo(TickRule.stateAt(adopted, lastBeforeStop).age() + 1);
        assertThat(fed.age()).isEqualTo((int) (fed.tick() - adopted.tick()));
        assertFollowsTheRules(adopted, List.of(fed));
        assertTicksCountOneByOne(ticks);
    }

    @Test
    void aPartitionsTicksAndEachPetsVersionsGoOneByOneAcrossARestart() {
        long pet = newPetId();
        int partition = probe.partitionOf(pet);
        probe.send(new AdoptCommand(newId("adopt"), pet, "erin", "Counter", Species.DOG));
        probe.send(new FeedCommand(newId("treat"), pet, Food.TREAT, "erin"));
        probe.events(pet, e -> e.size() >= 2);

        simulator.stop();
        long[] lastBeforeStop = new long[probe.partitions()];
        for (int p = 0; p < probe.partitions(); p++) {
            lastBeforeStop[p] = lastOf(probe.ticksSoFar(p)).tick();
        }
        simulator.start();
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        String marker = newId("treat");
        probe.send(new FeedCommand(newId("treat"), pet, Food.TREAT, "erin"));
        probe.send(new FeedCommand(marker, pet, Food.TREAT, "erin"));
        List<PetState> events = probe.events(pet, e -> eventOf(e, marker) != null);
        for (int p = 0; p < probe.partitions(); p++) {
            long after = lastBeforeStop[p];
            assertTicksCountOneByOne(probe.ticks(p, t -> ticksAfter(t, after) >= 2));
        }
        assertThat(eventOf(events, marker).tick()).as("the pet's partition ticked on after the restart")
                .isGreaterThanOrEqualTo(lastBeforeStop[partition]);

        assertThat(events).extracting(PetState::version).containsExactly(1L, 2L, 3L, 4L);
        assertFollowsTheRules(events.get(0), events.subList(1, events.size()));
    }

    @Test
    void aRestoreWaitsForAStateTransactionThatIsStillOpenInsteadOfSkippingIt() throws Exception {
        long pet = newPetId();
        PetState written = new PetState(pet, "dora", "Late Larry", Species.CRAB, 70, 100, true, 7, Cause.FED, 0,
                System.currentTimeMillis(), newId("meal"));
        simulator.stop();
        try (KafkaProducer<byte[], byte[]> other = probe.transactionalProducer()) {
            other.beginTransaction();
            other.send(new ProducerRecord<>(Topics.PET_STATE, probe.partitionOf(pet), KafkaProbe.key(pet),
                    PetStateCodec.write(written))).get();
            simulator.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> probe.groupHasAssignment(KafkaClients.GROUP_ID));
            Thread.sleep(1_000); // time for the restore to read as far as it would without waiting

            assertThat(simulator.ready()).as("restoring while a transaction on pet-state is open").isFalse();
            other.commitTransaction();
        }
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        String treat = newId("treat");
        probe.send(new FeedCommand(treat, pet, Food.TREAT, "dora"));
        List<PetState> events = probe.events(pet, e -> eventOf(e, treat) != null);

        assertThat(events.get(0)).isEqualTo(written);
        assertThat(events.get(1).command()).isEqualTo(treat);
        assertFollowsTheRules(written, events.subList(1, events.size()));
    }

    @Test
    void reportsReadyAliveAndItsMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("livepet-simulator-partitions"));
        given().get("/q/health/live").then().statusCode(200).body(containsString("livepet-simulator-loop"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("livepet_simulator_pets_alive"))
                .body(containsString("livepet_simulator_partitions_owned " + probe.partitions() + ".0"))
                .body(containsString("livepet_simulator_tick_lateness_seconds"))
                .body(containsString("livepet_simulator_records_published_total"))
                .body(containsString("livepet_simulator_dead_letters_total{topic=\"pet-commands.dlq\"}"))
                .body(containsString("livepet_simulator_restore_time_seconds"))
                // the preloaded pets live in partition 0
                .body(containsString("livepet_simulator_partition_pets_alive{partition=\"" + PreloadedWorld.PARTITION + "\"}"))
                .body(containsString("livepet_simulator_tick_duration_seconds"))
                .body(containsString("livepet_simulator_pets_died_total"))
                .body(containsString("livepet_simulator_snapshots_written_total"))
                .body(containsString("livepet_simulator_restore_state_records_total"));
    }

    /**
     * Every event after {@code before} grows the version by one and holds at a tick no earlier, with what the tick rule
     * derives for that tick and then a meal or a treat by the rules.
     */
    static void assertFollowsTheRules(PetState before, List<PetState> events) {
        PetState previous = before;
        for (PetState next : events) {
            String step = previous + " -> " + next;
            PetState derived = RULE.stateAt(previous, next.tick(), next.at());
            assertThat(next.version()).as(step).isEqualTo(previous.version() + 1);
            assertThat(next.id()).isEqualTo(previous.id());
            assertThat(next.tick()).as(step).isGreaterThanOrEqualTo(previous.tick());
            assertThat(next.age()).as(step).isEqualTo(derived.age());
            switch (next.cause()) {
                case FED -> {
                    assertThat(next.hunger()).as(step).isEqualTo(Math.max(derived.hunger() - 100, 0));
                    assertThat(next.command()).as(step).isNotNull();
                }
                case TREAT -> {
                    assertThat(next.hunger()).as(step).isEqualTo(Math.max(derived.hunger() - 20, 0));
                    assertThat(next.command()).as(step).isNotNull();
                }
                default -> throw new AssertionError("unexpected event " + step);
            }
            previous = next;
        }
    }

    /** A partition's ticks on the topic are 1, 2, 3, … with no gap and no repeat. */
    static void assertTicksCountOneByOne(List<PartitionTick> ticks) {
        for (int i = 0; i < ticks.size(); i++) {
            assertThat(ticks.get(i).tick()).as("tick %d of partition %d", i + 1, ticks.get(i).partition()).isEqualTo(i + 1);
        }
    }

    static PetState eventOf(List<PetState> events, String commandId) {
        return events.stream().filter(e -> commandId.equals(e.command())).findFirst().orElse(null);
    }

    static long ticksAfter(List<PartitionTick> ticks, long tick) {
        return ticks.stream().filter(t -> t.tick() > tick).count();
    }

    private static PartitionTick lastOf(List<PartitionTick> ticks) {
        return ticks.get(ticks.size() - 1);
    }

    private static List<String> reasonsFor(List<ConsumerRecord<byte[], byte[]>> letters, long petId) {
        byte[] key = KafkaProbe.key(petId);
        Function<ConsumerRecord<byte[], byte[]>, String> reason = r -> {
            Header h = r.headers().lastHeader(DeadLetter.REASON_HEADER);
            return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        };
        return letters.stream().filter(r -> Arrays.equals(r.key(), key)).map(reason).toList();
    }

    static long newPetId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, 8_000_000_000L);
    }

    static String newId(String what) {
        return what + "-" + UUID.randomUUID();
    }
}
