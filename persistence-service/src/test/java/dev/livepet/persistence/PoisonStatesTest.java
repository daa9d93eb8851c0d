package dev.livepet.persistence;

import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every kind of bad record on pet-state, all in one partition in front of a good one: dead letters, then on. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class PoisonStatesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final PetStateTopic TOPIC = new PetStateTopic();
    // the largest value the broker takes (message.max.bytes 1048588 for the whole batch): its dead letter, with
    // the reason headers added, would be refused if it carried the whole value
    private static final int BROKER_LIMIT_VALUE = 1_048_400;

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
    void everyKindOfPoisonGoesToTheDeadLettersWithItsReasonAndTheStateBehindItIsWritten() {
        long id = PetStatePersistenceTest.newPetId();
        PetState good = PetStatePersistenceTest.history(id, 1).get(0);
        String key = good.key();
        String json = PetJson.writeString(good);
        Map<String, Poison> poisons = new LinkedHashMap<>();
        poisons.put("not JSON", new Poison(key, "{this is not json", "unreadable state"));
        poisons.put("not UTF-8", new Poison(key, new byte[]{(byte) 0xc3, (byte) 0x28, (byte) 0xff}, "unreadable state"));
        poisons.put("a command", new Poison(key, PetJson.writeString(new FeedCommand("c-" + id, id, Food.MEAL, "p")),
                "unreadable state"));
        poisons.put("an array", new Poison(key, "[" + json + "]", "unreadable state"));
        poisons.put("numbers as strings", new Poison(key, json.replace("\"version\":1", "\"version\":\"1\""),
                "unreadable state"));
        poisons.put("no alive", new Poison(key, json.replace(",\"alive\":true", ""), "unreadable state"));
        poisons.put("oversized", new Poison(key, json.replace("}", ",\"padding\":\"" + "x".repeat(PetJson.MAX_RECORD_BYTES) + "\"}"),
                "over the limit"));
        poisons.put("at the broker's limit", new Poison(key, "x".repeat(BROKER_LIMIT_VALUE), "over the limit"));
        poisons.put("a huge key", new Poison("9".repeat(100_000), json, "is not the id of pet " + id));
        poisons.put("an empty key", new Poison("", json, "record key '' is not the id of pet " + id));
        poisons.put("another pet's key", new Poison(Long.toString(id ^ 1), json, "is not the id of pet " + id));
        poisons.put("a tombstone", new Poison(key, (byte[]) null, "empty state record"));
        int partition = PetPartitioner.partitionOf(key, TOPIC.partitions());
        // no key at all never reaches a consumer: the broker refuses it on a compacted topic
        assertThatThrownBy(() -> TOPIC.send(partition, null, PetJson.write(good)))
                .rootCause().isInstanceOf(InvalidRecordException.class).hasMessageContaining("without key");
        Map<String, Long> offsets = new LinkedHashMap<>();
        poisons.forEach((what, p) -> offsets.put(what, TOPIC.send(partition, p.key(), p.value()).offset()));

        TOPIC.send(partition, key, PetJson.write(good));

        await().atMost(PATIENCE).until(() -> PetRows.read(List.of(id)).containsKey(id));
        assertThat(PetRows.read(List.of(id)).get(id).version()).isEqualTo(1);
        Map<Long, ConsumerRecord<String, byte[]>> letters = await().atMost(PATIENCE).until(
                () -> lettersFrom(partition), found -> found.keySet().containsAll(offsets.values()));
        poisons.forEach((what, poison) -> {
            ConsumerRecord<String, byte[]> letter = letters.get(offsets.get(what));
            assertThat(header(letter, Topics.DLQ_REASON_HEADER)).as(what).contains(poison.reason())
                    .doesNotContain("\n", "Exception");
            byte[] kept = poison.value() == null ? new byte[0]
                    : Arrays.copyOf(poison.value(), Math.min(poison.value().length, Topics.DEAD_LETTER_MAX_BYTES));
            assertThat(letter.value()).as(what + ": the letter keeps the record's value, cut to the limit").isEqualTo(kept);
            assertThat(letter.key()).as(what).isEqualTo(poison.key() == null ? null
                    : poison.key().substring(0, Math.min(poison.key().length(), Topics.DEAD_LETTER_MAX_BYTES)));
        });
        await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);
    }

    private static Map<Long, ConsumerRecord<String, byte[]>> lettersFrom(int partition) {
        Map<Long, ConsumerRecord<String, byte[]>> byOffset = new LinkedHashMap<>();
        String prefix = Topics.PET_STATE + "-" + partition + "@";
        for (ConsumerRecord<String, byte[]> letter : TOPIC.deadLetters()) {
            String origin = header(letter, Topics.DLQ_ORIGIN_HEADER);
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
