package dev.livepet.persistence;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class PetStatePersistenceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final PetStateTopic TOPIC = new PetStateTopic();

    @AfterAll
    static void closeClients() {
        TOPIC.close();
    }

    @Test
    void keepsEveryPetAtItsHighestVersionWhateverTheOrderDuplicatesAndReplays() {
        Random random = new Random();
        Map<Long, List<PetState>> histories = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            long id = newPetId();
            histories.put(id, history(id, 2 + random.nextInt(12)));
        }
        List<PetState> records = new ArrayList<>();
        histories.values().forEach(records::addAll);
        Collections.shuffle(records, random); // versions of one pet out of order, pets interleaved
        for (int i = 0; i < 40; i++) {
            records.add(records.get(random.nextInt(records.size()))); // duplicates
        }
        histories.values().forEach(h -> records.addAll(h.subList(0, h.size() - 1))); // older versions after newer
        Map<Long, PetState> newest = histories.values().stream()
                .collect(Collectors.toMap(h -> h.get(0).id(), h -> h.get(h.size() - 1)));

        TOPIC.sendAll(records);

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(PetRows.read(newest.keySet())).hasSize(newest.size())
                        .allSatisfy((id, row) -> assertThat(row.version()).isEqualTo(newest.get(id).version())));
        Map<Long, PetRows.Row> written = PetRows.read(newest.keySet());
        written.forEach((id, row) -> {
            PetState expected = newest.get(id);
            assertThat(row).usingRecursiveComparison().ignoringFields("bornAt").isEqualTo(new PetRows.Row(
                    id, expected.owner(), expected.name(), expected.species().id(), expected.age(), expected.hunger(),
                    expected.alive(), expected.version(), expected.cause().id(), expected.at(), 0));
            assertThat(row.bornAt()).isBetween(histories.get(id).get(0).at(), expected.at());
        });

        // a replay of every older version, e.g. a consumer group reset: nothing may move backwards
        histories.values().forEach(h -> TOPIC.sendAll(h.subList(0, h.size() - 1)));
        await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);

        assertThat(PetRows.read(newest.keySet())).isEqualTo(written);
    }

    @Test
    void bornAtIsTheEventTimeOfThePetsFirstWriteAndNeverMoves() {
        long id = newPetId();
        List<PetState> history = history(id, 4);
        TOPIC.send(history.get(0));
        await().atMost(PATIENCE).until(() -> PetRows.read(List.of(id)).containsKey(id));

        TOPIC.sendAll(history.subList(1, 4));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(PetRows.read(List.of(id)).get(id))
                .satisfies(row -> assertThat(row.version()).isEqualTo(4))
                .satisfies(row -> assertThat(row.changedAt()).isEqualTo(history.get(3).at()))
                .satisfies(row -> assertThat(row.bornAt()).isEqualTo(history.get(0).at())));
    }

    @Test
    void aPoisonRecordGoesToTheDeadLettersWithItsReasonAndTheNextStateIsStillWritten() {
        long id = newPetId();
        String key = Long.toString(id);
        TOPIC.send(key, "not json".getBytes(StandardCharsets.UTF_8));
        PetState good = history(id, 1).get(0);

        TOPIC.send(good); // same key, same partition: behind the poison

        await().atMost(PATIENCE).until(() -> PetRows.read(List.of(id)).containsKey(id));
        ConsumerRecord<String, byte[]> letter = await().atMost(PATIENCE)
                .until(() -> TOPIC.deadLetter(key), java.util.Optional::isPresent).orElseThrow();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(letter.headers().lastHeader(Topics.DLQ_REASON_HEADER)).isNotNull()
                .extracting(h -> new String(h.value(), StandardCharsets.UTF_8))
                .asString().startsWith("unreadable state");
    }

    @Test
    void aStatePostgresqlRefusesGoesToTheDeadLettersAndTheOtherPetsAreWritten() {
        long refused = newPetId();
        long fine = newPetId();
        // PostgreSQL text cannot hold a NUL character: the whole statement fails, only this pet is at fault
        PetState unstorable = new PetState(refused, "owner", "Bad\u0000Name", Species.FOX, 0, 250, true, 1,
                Cause.ADOPTED, System.currentTimeMillis(), "cmd-" + refused);
        TOPIC.sendAll(List.of(unstorable, history(fine, 1).get(0)));

        ConsumerRecord<String, byte[]> letter = await().atMost(PATIENCE)
                .until(() -> TOPIC.deadLetter(Long.toString(refused)), java.util.Optional::isPresent).orElseThrow();
        assertThat(new String(letter.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith("refused by PostgreSQL");
        await().atMost(PATIENCE).until(() -> PetRows.read(List.of(fine)).containsKey(fine));
        assertThat(PetRows.read(List.of(refused))).isEmpty();
    }

    @Test
    void reportsReadinessOfKafkaAndPostgresqlAndItsMetrics() {
        // ready once the consumer has joined its group (the broker delays a group's first rebalance by ~3 s)
        await().atMost(PATIENCE).untilAsserted(() -> given().when().get("/q/health/ready")
                .then().log().ifValidationFails().statusCode(200)
                .body(containsString("pet-state consumer joined its group"))
                .body(containsString("Reactive PostgreSQL connections health check")));
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body(containsString("pet-state consumer"));
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("livepet_persistence_rows_written_total"))
                .body(containsString("livepet_persistence_batch_records"))
                .body(containsString("livepet_persistence_write_seconds"))
                .body(containsString("livepet_persistence_tick_flush_seconds"))
                .body(containsString("livepet_persistence_tick_flushed_pets_total"))
                .body(containsString("livepet_persistence_tick_pending_pets"))
                .body(containsString("livepet_persistence_tick_pending_age_seconds"))
                .body(containsString("livepet_persistence_lifecycle_visibility_seconds"))
                // the consumer's own lag, as the Kafka client measures it (the benchmark prints it)
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max"));
    }

    @Test
    void theViewersQuestionsHaveTheirIndexes() {
        Map<String, String> indexes = PetRows.indexes();
        assertThat(indexes).containsKeys("pets_owner_born", "pets_alive_born", "pets_died");
        assertThat(indexes.get("pets_owner_born")).contains("(owner, born_at DESC)");
        // on columns a tick never changes: tick updates stay heap-only (PetTableSchemaTest)
        assertThat(indexes.get("pets_alive_born")).contains("(born_at)").endsWith("WHERE alive");
        assertThat(indexes.get("pets_died")).contains("(died_at DESC)").endsWith("WHERE (NOT alive)");
        assertThat(String.join(" ", indexes.values())).doesNotContain("age").doesNotContain("changed_at")
                .doesNotContain("hunger").doesNotContain("version");
    }

    /** A pet's states as the simulator would publish them: adopted, ticks and a meal, versions 1..n. */
    static List<PetState> history(long id, int versions) {
        long born = System.currentTimeMillis() - 5_000L * versions;
        Function<Integer, Cause> cause = v -> v == 1 ? Cause.ADOPTED : v % 5 == 0 ? Cause.FED : Cause.TICK;
        List<PetState> states = new ArrayList<>();
        for (int v = 1; v <= versions; v++) {
            states.add(new PetState(id, "player-" + (id % 7), "Pet " + id, Species.values()[(int) (id % 9)], v - 1,
                    Math.min(250 + 5 * v, 500), true, v, cause.apply(v), born + 5_000L * (v - 1), null));
        }
        return states;
    }

    static long newPetId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
