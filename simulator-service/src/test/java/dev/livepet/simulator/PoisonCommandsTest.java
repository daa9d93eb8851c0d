package dev.livepet.simulator;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every kind of bad record on pet-commands, all in one partition in front of a good command: dead letters, then on. */
@QuarkusTest
@WithTestResource(PreloadedWorld.class)
class PoisonCommandsTest {
    // the largest value the broker takes (message.max.bytes 1048588 for the whole batch): its dead letter, with
    // the reason headers added, would be refused if it carried the whole value
    private static final int BROKER_LIMIT_VALUE = 1_048_400;

    @Inject
    Simulator simulator;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private record Poison(byte[] key, byte[] value, String reason) {
        Poison(String key, String value, String reason) {
            this(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8), reason);
        }
    }

    @Test
    void everyKindOfPoisonGoesToTheDeadLettersWithItsReasonAndTheCommandBehindItIsApplied() {
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        long pet = ThreadLocalRandom.current().nextLong(1_000_000_000L, 8_000_000_000L);
        String key = PetPartitioner.key(pet);
        String feed = PetJson.writeString(new FeedCommand("meal-" + UUID.randomUUID(), pet, Food.MEAL, "alice"));
        AdoptCommand adopt = new AdoptCommand("adopt-" + UUID.randomUUID(), pet, "alice", "Sturdy", Species.CRAB);
        Map<String, Poison> poisons = new LinkedHashMap<>();
        poisons.put("not JSON", new Poison(key, "{this is not json", "unreadable command"));
        poisons.put("not UTF-8", new Poison(key.getBytes(StandardCharsets.UTF_8),
                new byte[]{(byte) 0xc3, (byte) 0x28, (byte) 0xff}, "unreadable command"));
        poisons.put("a state", new Poison(key, PetStateCodec.writeString(new PetState(pet, "alice", "Sturdy", Species.CRAB,
                0, 250, true, 1, Cause.ADOPTED, 0, 1, null)), "unreadable command"));
        poisons.put("a tick", new Poison(key, PetStateCodec.writeString(new PartitionTick(0, 6, 1, 1, new TickRule(1, 5, 500))),
                "unreadable command"));
        poisons.put("an array", new Poison(key, "[" + feed + "]", "unreadable command"));
        poisons.put("numbers as strings", new Poison(key, feed.replace("\"petId\":" + pet, "\"petId\":\"" + pet + "\""),
                "unreadable command"));
        poisons.put("oversized", new Poison(key, feed.replace("}", ",\"padding\":\"" + "x".repeat(PetJson.MAX_RECORD_BYTES) + "\"}"),
                "over the limit"));
        poisons.put("at the broker's limit", new Poison(key, "x".repeat(BROKER_LIMIT_VALUE), "over the limit"));
        poisons.put("a huge key", new Poison("7".repeat(100_000), feed, "is not the command's pet id " + pet));
        poisons.put("no key", new Poison(null, feed, "a command needs its pet id as the record key"));
        poisons.put("another pet's key", new Poison(PetPartitioner.key(pet + 1), feed, "is not the command's pet id " + pet));
        poisons.put("a tombstone", new Poison(key, null, "empty command record"));
        double failedBefore = failedTransactions();
        try (KafkaProbe probe = new KafkaProbe(bootstrapServers)) {
            int partition = PetPartitioner.partitionOf(pet, probe.partitions());
            Map<String, Long> offsets = new LinkedHashMap<>();
            poisons.forEach((what, p) -> offsets.put(what, probe.send(Topics.PET_COMMANDS, partition, p.key(), p.value())));
            // the right key in the wrong partition: an instance that does not own the pet would apply it
            int elsewhere = (partition + 1) % probe.partitions();
            long misplaced = probe.send(Topics.PET_COMMANDS, elsewhere, KafkaProbe.key(pet), feed.getBytes(StandardCharsets.UTF_8));

            probe.send(adopt);

            List<PetState> events = probe.events(pet, s -> !s.isEmpty());
            assertThat(events.get(0).command()).isEqualTo(adopt.commandId());
            assertThat(events.get(0).cause()).isEqualTo(Cause.ADOPTED);
            String origin = Topics.PET_COMMANDS + "-" + partition + "@";
            List<ConsumerRecord<byte[], byte[]>> letters = probe.deadLetters(found -> offsets.values().stream()
                    .allMatch(offset -> letterFrom(found, origin + offset) != null)
                    && letterFrom(found, Topics.PET_COMMANDS + "-" + elsewhere + "@" + misplaced) != null);
            poisons.forEach((what, poison) -> {
                ConsumerRecord<byte[], byte[]> letter = letterFrom(letters, origin + offsets.get(what));
                assertThat(header(letter, DeadLetter.REASON_HEADER)).as(what).contains(poison.reason())
                        .doesNotContain("\n", "Exception");
                assertThat(letter.value()).as(what + ": the letter keeps the record's value, cut to the limit")
                        .isEqualTo(DeadLetter.kept(poison.value()));
                assertThat(letter.key()).as(what).isEqualTo(DeadLetter.kept(poison.key()));
            });
            assertThat(header(letterFrom(letters, Topics.PET_COMMANDS + "-" + elsewhere + "@" + misplaced),
                    DeadLetter.REASON_HEADER)).isEqualTo("pet " + pet + " lives in partition " + partition + ", not " + elsewhere);
            // the poison cost no transaction: none failed, so no partition was restored over it
            assertThat(failedTransactions()).isEqualTo(failedBefore);
        }
    }

    @Test
    void poisonOnPetStateIsPassedOverByARestoreAndEveryPetAndClockGoesOnFromItsOwnRecords() {
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        long pet = ThreadLocalRandom.current().nextLong(1_000_000_000L, 8_000_000_000L);
        try (KafkaProbe probe = new KafkaProbe(bootstrapServers)) {
            int partition = PetPartitioner.partitionOf(pet, probe.partitions());
            int other = (partition + 1) % probe.partitions();
            long impostor = LongStream.generate(() -> ThreadLocalRandom.current().nextLong(1_000_000_000L, 8_000_000_000L))
                    .filter(id -> id != pet && PetPartitioner.partitionOf(id, probe.partitions()) == partition)
                    .findFirst().orElseThrow();
            probe.send(new AdoptCommand("adopt-" + UUID.randomUUID(), pet, "alice", "Resilient", Species.FOX));
            probe.events(pet, s -> !s.isEmpty());
            // stopped first: a snapshot taken after the poison would let the restore start behind it
            simulator.stop();
            long lastTick = lastTick(probe.ticksSoFar(partition));
            byte[] key = KafkaProbe.key(pet);
            TickRule rule = new TickRule(1, 5, 500);
            // under the pet's key: another pet's event (far ahead in versions), garbage, a command, a tombstone, a giant
            for (byte[] poison : new byte[][]{
                    PetStateCodec.write(new PetState(impostor, "mallory", "Impostor", Species.FOX, 0, 0, true, 999,
                            Cause.FED, 0, System.currentTimeMillis(), "c-" + impostor)),
                    "{not json".getBytes(StandardCharsets.UTF_8),
                    PetJson.write(new FeedCommand("c-" + pet, pet, Food.MEAL, "alice")),
                    null,
                    ("{\"id\":" + pet + ",\"padding\":\"" + "x".repeat(PetJson.MAX_RECORD_BYTES) + "\"}")
                            .getBytes(StandardCharsets.UTF_8)}) {
                probe.send(Topics.PET_STATE, partition, key, poison);
            }
            // under the partition's tick key: another partition's tick far ahead, garbage, a pet's event
            byte[] tickKey = PetStateCodec.tickKey(partition);
            probe.send(Topics.PET_STATE, partition, PetStateCodec.tickKey(other), PetStateCodec.write(
                    new PartitionTick(other, probe.partitions(), lastTick + 1_000, System.currentTimeMillis(), rule)));
            probe.send(Topics.PET_STATE, partition, tickKey, PetStateCodec.write(
                    new PartitionTick(other, probe.partitions(), lastTick + 1_000, System.currentTimeMillis(), rule)));
            probe.send(Topics.PET_STATE, partition, tickKey, "{\"tick\":".getBytes(StandardCharsets.UTF_8));
            probe.send(Topics.PET_STATE, partition, tickKey, PetStateCodec.write(new PetState(pet, "alice", "Resilient",
                    Species.FOX, 0, 0, true, 999, Cause.FED, lastTick + 1_000, System.currentTimeMillis(), "c-tick")));

            simulator.start();
            await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
            String meal = "meal-" + UUID.randomUUID();
            probe.send(new FeedCommand(meal, pet, Food.MEAL, "alice"));
            probe.send(new FeedCommand("meal-" + UUID.randomUUID(), impostor, Food.MEAL, "mallory"));

            List<PetState> events = probe.events(pet, s -> s.stream().anyMatch(state -> meal.equals(state.command())));
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).version()).as("versions of pet %d go on by one", pet)
                        .isEqualTo(events.get(i - 1).version() + 1);
            }
            assertThat(events.get(events.size() - 1).tick()).as("the clock went on from its own last tick")
                    .isBetween(lastTick, lastTick + 100);
            SimulatorTest.assertTicksCountOneByOne(probe.ticks(partition, t -> lastTick(t) > lastTick + 1));
            List<ConsumerRecord<byte[], byte[]>> letters = probe.deadLetters(found -> found.stream()
                    .anyMatch(l -> Arrays.equals(l.key(), KafkaProbe.key(impostor))));
            assertThat(letters).filteredOn(l -> Arrays.equals(l.key(), KafkaProbe.key(impostor)))
                    .extracting(l -> header(l, DeadLetter.REASON_HEADER)).first().asString()
                    .as("the impostor was never restored").contains("no pet " + impostor);
        }
    }

    private static long lastTick(List<PartitionTick> ticks) {
        return ticks.isEmpty() ? 0 : ticks.get(ticks.size() - 1).tick();
    }

    private static double failedTransactions() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("livepet_simulator_transactions_failed_total"))
                // the value, before an exemplar (" # {trace_id=...} 1.0 <time>") that a traced increment adds
                .map(l -> l.contains(" # ") ? l.substring(0, l.indexOf(" # ")) : l)
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static ConsumerRecord<byte[], byte[]> letterFrom(List<ConsumerRecord<byte[], byte[]>> letters, String origin) {
        return letters.stream().filter(l -> origin.equals(header(l, DeadLetter.ORIGIN_HEADER))).findFirst().orElse(null);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
