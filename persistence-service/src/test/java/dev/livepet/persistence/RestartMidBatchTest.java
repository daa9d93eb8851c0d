package dev.livepet.persistence;

import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;
import dev.livepet.persistence.db.PetTable;
import dev.livepet.persistence.domain.LatestState;
import dev.livepet.persistence.domain.PetBatch;
import dev.livepet.persistence.domain.StateRecord;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance that dies in the middle of a batch: it has written part of the batch's pets to PostgreSQL but has
 * not committed the offsets. The service takes its partitions over, replays the whole batch from the committed
 * offsets, and every pet ends at its highest version; the pets written before the crash are not moved back.
 * The dying instance is a plain consumer of the persistence group running the service's own write path (a second
 * Quarkus application cannot start in this JVM).
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class RestartMidBatchTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final PetStateTopic TOPIC = new PetStateTopic();

    @Inject
    PetTable pets;

    @AfterAll
    static void closeClients() {
        TOPIC.close();
    }

    @Test
    void anInstanceKilledAfterWritingHalfABatchLosesNothingAndTheReplayMovesNoPetBack() {
        int partitions = LocalStackTestResource.stack().settings().partitions();
        Map<Long, PetState> newest = new HashMap<>();
        Map<Long, Long> writtenBeforeTheCrash = new HashMap<>();
        try (KafkaConsumer<String, byte[]> dying = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, PetStateTopic.GROUP,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
            dying.subscribe(List.of(Topics.PET_STATE));
            long start = System.nanoTime();
            while (dying.assignment().isEmpty() && System.nanoTime() - start < PATIENCE.toNanos()) {
                dying.poll(Duration.ofMillis(200)); // anything already there is left uncommitted too
            }
            Set<Integer> mine = dying.assignment().stream().map(TopicPartition::partition).collect(Collectors.toSet());
            assertThat(mine).as("partitions of the instance that will die").isNotEmpty().hasSizeLessThan(partitions);

            List<PetState> records = new ArrayList<>();
            while (newest.size() < 60) {
                long id = PetStatePersistenceTest.newPetId();
                if (mine.contains(PetPartitioner.partitionOf(id, partitions))) {
                    List<PetState> history = PetStatePersistenceTest.history(id, 6); // adopted, ticks, fed
                    records.addAll(history);
                    newest.put(id, history.get(5));
                }
            }
            TOPIC.sendAll(records);

            List<StateRecord> received = new ArrayList<>();
            start = System.nanoTime();
            while (received.size() < records.size() && System.nanoTime() - start < PATIENCE.toNanos()) {
                for (ConsumerRecord<String, byte[]> r : dying.poll(Duration.ofMillis(200))) {
                    if (newest.containsKey(Long.parseLong(r.key()))) {
                        received.add(new StateRecord(r.key(), r.value(), r.partition(), r.offset()));
                    }
                }
            }
            assertThat(received).as("the dying instance got the whole batch").hasSize(records.size());
            // half of the pets written, then the instance dies: no commit of these offsets
            List<LatestState> batch = PetBatch.coalesce(received).latest();
            List<LatestState> half = batch.subList(0, batch.size() / 2);
            pets.write(half).await().atMost(PATIENCE);
            half.forEach(l -> writtenBeforeTheCrash.put(l.state().id(), l.state().version()));
            assertThat(PetRows.read(newest.keySet())).hasSize(half.size());
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(PetRows.read(newest.keySet()))
                .hasSize(newest.size())
                .allSatisfy((id, row) -> {
                    assertThat(row.version()).isEqualTo(newest.get(id).version());
                    assertThat(row.hunger()).isEqualTo(newest.get(id).hunger());
                }));
        assertThat(PetRows.read(writtenBeforeTheCrash.keySet()))
                .allSatisfy((id, row) -> assertThat(row.version()).isGreaterThanOrEqualTo(writtenBeforeTheCrash.get(id)));
        await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);
    }
}
