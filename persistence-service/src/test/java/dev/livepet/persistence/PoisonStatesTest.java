package dev.livepet.persistence;

import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every kind of bad record on pet-state, events and ticks, all in one partition in front of a good event and a good
 * tick: dead letters, then on.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class PoisonStatesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final PetStateTopic TOPIC = new PetStateTopic();
    // the largest value the broker takes (message.max.bytes 1048588 for the whole batch): its dead letter, with
    // the reason headers added, would be refused if it carried the whole value
    private static final int BROKER_LIMIT_VALUE = 1_048_400;
    private static final long YEAR_300000 = 9_400_000_000_000_000L;

    @AfterAll
    static void closeClients() {
        TOPIC.close();
    }

    private record Poison(String key, byte[] value, String reason) {
        Poison(String key, String value, String reason) {
            this(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), reason);
        }
    }

    @Test
    void everyKindOfPoisonGoesToTheDeadLettersWithItsReasonAndTheEventAndTickBehindItAreWritten() {
        long id = PetHistories.newPetId();
        int partition = PetHistories.partitionOf(id);
        int partitions = PetHistories.partitions();
        int other = (partition + 1) % partitions;
        long stranger = PetHistories.newPetIn(other);
        PetState good = PetHistories.history(id, 1).get(0);
        PartitionTick goodTick = PetHistories.tick(partition, PetHistories.nextTicks(partition, 1));
        String key = good.key();
        String json = PetStateCodec.writeString(good);
        String tickKey = PetStateCodec.TICK_KEY_PREFIX + partition;
        String otherTickKey = PetStateCodec.TICK_KEY_PREFIX + other;
        // a poison tick accepted by mistake would move a clock far ahead of the good one
        long far = goodTick.tick() + 1_000_000;
        String tickHere = PetStateCodec.writeString(new PartitionTick(partition, partitions, far, goodTick.at(), PetHistories.RULE));
        String tickThere = PetStateCodec.writeString(new PartitionTick(other, partitions, far, goodTick.at(), PetHistories.RULE));

        Map<String, Poison> poisons = new LinkedHashMap<>();
        poisons.put("not JSON", new Poison(key, "{this is not json", "unreadable state"));
        poisons.put("not UTF-8", new Poison(key, new byte[]{(byte) 0xc3, (byte) 0x28, (byte) 0xff}, "unreadable state"));
        poisons.put("a command", new Poison(key, PetJson.writeString(new FeedCommand("c-" + id, id, Food.MEAL, "p")),
                "unreadable state"));
        poisons.put("an array", new Poison(key, "[" + json + "]", "unreadable state"));
        poisons.put("numbers as strings", new Poison(key, json.replace("\"version\":1", "\"version\":\"1\""),
                "unreadable state"));
        poisons.put("no alive", new Poison(key, json.replace(",\"alive\":true", ""), "unreadable state"));
        poisons.put("no tick", new Poison(key, json.replace(",\"tick\":0", ""), "unreadable state"));
        poisons.put("a derived tick state", new Poison(key, json.replace("\"adopted\"", "\"tick\""),
                "\"tick\" is no event"));
        poisons.put("oversized", new Poison(key, json.replace("}", ",\"padding\":\"" + "x".repeat(PetJson.MAX_RECORD_BYTES) + "\"}"),
                "over the limit"));
        poisons.put("at the broker's limit", new Poison(key, "x".repeat(BROKER_LIMIT_VALUE), "over the limit"));
        poisons.put("a huge key", new Poison("9".repeat(100_000), json, "is neither a pet id nor tick-<partition>"));
        poisons.put("an empty key", new Poison("", json, "the key '' is neither a pet id nor tick-<partition>"));
        poisons.put("another pet's key", new Poison(Long.toString(id ^ 1), json, "is not the state's pet id " + id));
        poisons.put("a pet of another partition", new Poison(Long.toString(stranger),
                PetStateCodec.writeString(PetHistories.history(stranger, 1).get(0)),
                "pet " + stranger + " lives in partition " + other + ", not " + partition));
        poisons.put("a time PostgreSQL cannot hold", new Poison(key, json.replace("\"at\":" + good.at(), "\"at\":" + YEAR_300000),
                "outside the years 1 to 9999"));
        poisons.put("a tombstone", new Poison(key, (byte[]) null, "empty state record"));
        poisons.put("a tick under a pet's key", new Poison(key, tickHere, "unreadable state"));
        poisons.put("an unreadable tick", new Poison(tickKey, "{not json", "unreadable tick"));
        poisons.put("an event under a tick key", new Poison(tickKey, json, "unreadable tick"));
        poisons.put("a tick without rule numbers", new Poison(tickKey, tickHere.replace(",\"maxHunger\":500", ""),
                "unreadable tick"));
        poisons.put("a tick of a partition beyond its count", new Poison(tickKey,
                tickHere.replace("\"partitions\":" + partitions, "\"partitions\":" + partition), "unreadable tick"));
        poisons.put("a tick in the wrong partition", new Poison(otherTickKey, tickThere,
                "the tick of partition " + other + " is in partition " + partition));
        poisons.put("a tick under another partition's key", new Poison(otherTickKey, tickHere,
                "the key '" + otherTickKey + "' is not the key of partition " + partition + "'s ticks"));
        poisons.put("a tick key naming no partition", new Poison("tick-x", tickHere,
                "the key 'tick-x' is not the key of partition " + partition + "'s ticks"));
        poisons.put("a tick time PostgreSQL cannot hold", new Poison(tickKey,
                tickHere.replace("\"at\":" + goodTick.at(), "\"at\":" + YEAR_300000), "outside the years 1 to 9999"));
        // no key at all never reaches a consumer: the broker refuses it on a compacted topic
        assertThatThrownBy(() -> TOPIC.send(partition, (byte[]) null, PetStateCodec.write(good)))
                .rootCause().isInstanceOf(InvalidRecordException.class).hasMessageContaining("without key");
        Map<String, Long> offsets = new LinkedHashMap<>();
        poisons.forEach((what, p) -> offsets.put(what, TOPIC.send(partition, p.key(), p.value()).offset()));

        TOPIC.send(good);
        TOPIC.send(goodTick);

        await().atMost(PATIENCE).until(() -> PetRows.read(List.of(id)).containsKey(id)
                && PetRows.clock(partition).map(PetRows.Clock::tick).orElse(0L) >= goodTick.tick());
        assertThat(PetRows.read(List.of(id)).get(id).version()).isEqualTo(1);
        assertThat(PetRows.clock(partition)).get().extracting(PetRows.Clock::tick).isEqualTo(goodTick.tick());
        assertThat(PetRows.clock(other)).map(PetRows.Clock::tick).isNotEqualTo(Optional.of(far));
        assertThat(PetRows.read(List.of(stranger))).as("a pet filed under another partition's clock").isEmpty();
        Map<Long, ConsumerRecord<String, byte[]>> letters = await().atMost(PATIENCE).until(
                () -> lettersFrom(partition), found -> found.keySet().containsAll(offsets.values()));
        poisons.forEach((what, poison) -> {
            ConsumerRecord<String, byte[]> letter = letters.get(offsets.get(what));
            assertThat(header(letter, DeadLetter.REASON_HEADER)).as(what).contains(poison.reason())
                    .doesNotContain("\n", "Exception");
            byte[] kept = poison.value() == null ? new byte[0]
                    : Arrays.copyOf(poison.value(), Math.min(poison.value().length, DeadLetter.MAX_BYTES));
            assertThat(letter.value()).as(what + ": the letter keeps the record's value, cut to the limit").isEqualTo(kept);
            assertThat(letter.key()).as(what).isEqualTo(poison.key() == null ? null
                    : poison.key().substring(0, Math.min(poison.key().length(), DeadLetter.MAX_BYTES)));
        });
        await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);
    }

    private static Map<Long, ConsumerRecord<String, byte[]>> lettersFrom(int partition) {
        Map<Long, ConsumerRecord<String, byte[]>> byOffset = new LinkedHashMap<>();
        String prefix = Topics.PET_STATE + "-" + partition + "@";
        for (ConsumerRecord<String, byte[]> letter : TOPIC.deadLetters()) {
            String origin = header(letter, DeadLetter.ORIGIN_HEADER);
            if (origin != null && origin.startsWith(prefix)) {
                byOffset.put(Long.parseLong(origin.substring(prefix.length())), letter);
            }
        }
        return byOffset;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
