package dev.livepet.persistence;

import dev.livepet.contract.Cause;
import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.Species;
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
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

import static dev.livepet.persistence.PetHistories.history;
import static dev.livepet.persistence.PetHistories.newPetId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

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
    void keepsEveryPetAtItsLastEventWhateverTheOrderDuplicatesAndReplays() {
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
                    expected.alive(), expected.version(), expected.cause().id(), expected.at(), 0, expected.tick(),
                    PetHistories.partitionOf(id)));
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
    void eachPartitionsNewestTickBecomesItsClockWithTheRuleNumbersItCarries() {
        int partitions = PetHistories.partitions();
        List<PetStateRecord> ticks = new ArrayList<>();
        Map<Integer, PartitionTick> newest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            long first = PetHistories.nextTicks(p, 5);
            for (long t = first; t < first + 5; t++) {
                PartitionTick tick = new PartitionTick(p, partitions, t, 1_700_000_000_000L + t, 2 + p, 3 + p, 400 + p);
                ticks.add(tick);
                newest.put(p, tick);
            }
        }
        Collections.shuffle(ticks); // one partition's ticks stay in order on the topic: each is in its own partition

        TOPIC.sendInOneTransaction(ticks);

        await().atMost(PATIENCE).untilAsserted(() -> newest.forEach((p, tick) ->
                assertThat(PetRows.clock(p)).contains(new PetRows.Clock(p, partitions, tick.tick(), tick.at(),
                        tick.agePerTick(), tick.hungerPerTick(), tick.maxHunger()))));
    }

    @Test
    void aClockNeverGoesBackWhenAnOldTickIsReplayed() {
        int partition = new Random().nextInt(PetHistories.partitions());
        long first = PetHistories.nextTicks(partition, 10);
        PartitionTick newest = PetHistories.tick(partition, first + 9);
        TOPIC.send(newest);
        await().atMost(PATIENCE).until(() -> PetRows.clock(partition).map(PetRows.Clock::tick).orElse(0L) == newest.tick());
        PetRows.Clock clock = PetRows.clock(partition).orElseThrow();

        // older ticks, replayed one by one (each poll on its own) and then all at once (in one poll, most likely)
        for (long t = first; t < first + 3; t++) {
            TOPIC.send(new PartitionTick(partition, PetHistories.partitions(), t, newest.at() + t, 7, 7, 7));
            await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);
        }
        List<PartitionTick> older = new ArrayList<>();
        for (long t = first + 8; t >= first + 3; t--) {
            older.add(new PartitionTick(partition, PetHistories.partitions(), t, newest.at() + t, 7, 7, 7));
        }
        TOPIC.sendInOneTransaction(older);
        await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);

        assertThat(PetRows.clock(partition)).contains(clock);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLettersWithItsReasonAndTheNextEventIsStillWritten() {
        long id = newPetId();
        String key = Long.toString(id);
        TOPIC.send(PetHistories.partitionOf(id), key, "not json".getBytes(StandardCharsets.UTF_8));
        PetState good = history(id, 1).get(0);

        TOPIC.send(good); // same key, same partition: behind the poison

        await().atMost(PATIENCE).until(() -> PetRows.read(List.of(id)).containsKey(id));
        ConsumerRecord<String, byte[]> letter = await().atMost(PATIENCE)
                .until(() -> TOPIC.deadLetter(key), Optional::isPresent).orElseThrow();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(letter.headers().lastHeader(DeadLetter.REASON_HEADER)).isNotNull()
                .extracting(h -> new String(h.value(), StandardCharsets.UTF_8))
                .asString().startsWith("unreadable state");
    }

    @Test
    void anEventPostgresqlRefusesGoesToTheDeadLettersAndTheOtherPetsAndTheClockAreWritten() {
        long refused = newPetId();
        long fine = PetHistories.newPetIn(PetHistories.partitionOf(refused));
        int partition = PetHistories.partitionOf(refused);
        // PostgreSQL text cannot hold a NUL character: the whole statement fails, only this pet is at fault
        PetState unstorable = new PetState(refused, "owner", "Bad\u0000Name", Species.FOX, 0, 250, true, 1,
                Cause.ADOPTED, 0, System.currentTimeMillis(), "cmd-" + refused);
        PartitionTick tick = PetHistories.tick(partition, PetHistories.nextTicks(partition, 1));

        TOPIC.sendInOneTransaction(List.of(unstorable, history(fine, 1).get(0), tick));

        ConsumerRecord<String, byte[]> letter = await().atMost(PATIENCE)
                .until(() -> TOPIC.deadLetter(Long.toString(refused)), Optional::isPresent).orElseThrow();
        assertThat(new String(letter.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith("refused by PostgreSQL");
        assertThat(letter.value()).isEqualTo(PetStateCodec.write(unstorable));
        await().atMost(PATIENCE).until(() -> PetRows.read(List.of(fine)).containsKey(fine));
        assertThat(PetRows.read(List.of(refused))).isEmpty();
        await().atMost(PATIENCE).until(() -> PetRows.clock(partition).map(PetRows.Clock::tick).orElse(0L) >= tick.tick());
    }

    @Test
    void reportsReadinessOfKafkaAndPostgresqlAndItsMetrics() {
        // ready once the consumer has joined its group (the broker delays a group's first rebalance by ~3 s)
        await().atMost(PATIENCE).untilAsserted(() -> given().when().get("/q/health/ready")
                .then().log().ifValidationFails().statusCode(200)
                .body(containsString("livepet-persistence-consumer"))
                .body(containsString("Reactive PostgreSQL connections health check")));
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body(containsString("livepet-persistence-loop"));
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("livepet_persistence_rows_written_total"))
                .body(containsString("livepet_persistence_clocks_written_total"))
                .body(containsString("livepet_persistence_batch_records"))
                .body(containsString("livepet_persistence_write_seconds"))
                .body(containsString("livepet_persistence_write_pets"))
                .body(containsString("livepet_persistence_lifecycle_visibility_seconds"))
                .body(containsString("livepet_persistence_dead_letters_total{topic=\"pet-state.dlq\"}"))
                .body(containsString("livepet_persistence_postgres_outage"))
                // the consumer's own lag, as the Kafka client measures it (the benchmark prints it)
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max"))
                // no tick lane any more
                .body(not(containsString("livepet_persistence_tick_")));
    }

    @Test
    void theViewersQuestionsHaveTheirIndexes() {
        Map<String, String> indexes = PetRows.indexes();
        assertThat(indexes).containsKeys("pets_owner_born", "pets_alive_born", "pets_died");
        assertThat(indexes.get("pets_owner_born")).contains("(owner, born_at DESC)");
        // on columns an event other than a death never changes: its update stays heap-only (PetTableSchemaTest)
        assertThat(indexes.get("pets_alive_born")).contains("(born_at)").endsWith("WHERE alive");
        assertThat(indexes.get("pets_died")).contains("(died_at DESC)").endsWith("WHERE (NOT alive)");
        assertThat(String.join(" ", indexes.values())).doesNotContain("age").doesNotContain("changed_at")
                .doesNotContain("hunger").doesNotContain("version").doesNotContain("tick");
    }
}
