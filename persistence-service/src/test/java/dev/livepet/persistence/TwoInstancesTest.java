package dev.livepet.persistence;

import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Topics;
import dev.livepet.persistence.db.BatchWriter;
import dev.livepet.persistence.domain.LatestEvent;
import dev.livepet.persistence.domain.PetBatch;
import dev.livepet.persistence.domain.StateRecord;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances in one consumer group, and one of them dying in the middle of a batch. Starting a second Quarkus
 * application in this JVM is not possible, so the second instance is a plain Kafka consumer of the same group running
 * the service's own write path ({@link PetBatch} and {@link BatchWriter}, committing after the write).
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class TwoInstancesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final PetStateTopic TOPIC = new PetStateTopic();

    @Inject
    BatchWriter writer;

    @AfterAll
    static void closeClients() {
        TOPIC.close();
    }

    @Test
    void twoInstancesShareThePartitionsAndTogetherWriteEveryPetAtItsHighestVersion() throws Exception {
        SecondInstance second = new SecondInstance(writer);
        Thread thread = new Thread(second, "second-persistence-instance");
        thread.start();
        try {
            await().atMost(PATIENCE).until(() -> !second.assigned.isEmpty());
            int partitions = LocalStackTestResource.stack().settings().partitions();
            Map<Long, PetState> newest = new HashMap<>();
            List<PetStateRecord> records = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                long id = PetHistories.newPetId();
                List<PetState> history = PetHistories.history(id, 4); // adopted, meals and treats
                records.addAll(history);
                newest.put(id, history.get(3));
            }
            Map<Integer, Long> ticks = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                long first = PetHistories.nextTicks(p, 2);
                records.add(PetHistories.tick(p, first));
                records.add(PetHistories.tick(p, first + 1));
                ticks.put(p, first + 1);
            }
            TOPIC.sendAll(records);

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(PetRows.read(newest.keySet())).hasSize(newest.size())
                        .allSatisfy((id, row) -> assertThat(row.version()).isEqualTo(newest.get(id).version()));
                ticks.forEach((p, tick) -> assertThat(PetRows.clock(p)).as("partition %d's clock", p).get()
                        .extracting(PetRows.Clock::tick).isEqualTo(tick));
            });

            assertThat(second.everAssigned).isNotEmpty().hasSizeLessThan(partitions);
            assertThat(second.written).as("the second instance wrote its partitions' pets").isNotEmpty();
            assertThat(second.clocks).as("the second instance wrote its partitions' clocks").isNotEmpty();
            // pets of partitions the second instance never had can only have been written by the service
            assertThat(newest.keySet()).filteredOn(id -> !second.everAssigned.contains(PetPartitioner.partitionOf(id, partitions)))
                    .isNotEmpty();
        } finally {
            second.stop();
            thread.join(PATIENCE.toMillis());
        }
        // the service takes every partition back and commits to the end
        await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);
    }

    /**
     * An instance that dies in the middle of a batch: it has written part of the batch's pets to PostgreSQL but has
     * not committed the offsets. The service takes its partitions over, replays the whole batch from the committed
     * offsets, and every pet ends at its highest version; the pets written before the crash are not moved back.
     */
    @Test
    void anInstanceKilledAfterWritingHalfABatchLosesNothingAndTheReplayMovesNoPetBack() {
        int partitions = LocalStackTestResource.stack().settings().partitions();
        Map<Long, PetState> newest = new HashMap<>();
        Map<Long, Long> writtenBeforeTheCrash = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> dying = groupMember()) {
            dying.subscribe(List.of(Topics.PET_STATE));
            long start = System.nanoTime();
            while (dying.assignment().isEmpty() && System.nanoTime() - start < PATIENCE.toNanos()) {
                dying.poll(Duration.ofMillis(200)); // anything already there is left uncommitted too
            }
            Set<Integer> mine = dying.assignment().stream().map(TopicPartition::partition).collect(Collectors.toSet());
            assertThat(mine).as("partitions of the instance that will die").isNotEmpty().hasSizeLessThan(partitions);

            List<PetState> records = new ArrayList<>();
            while (newest.size() < 60) {
                long id = PetHistories.newPetId();
                if (mine.contains(PetPartitioner.partitionOf(id, partitions))) {
                    List<PetState> history = PetHistories.history(id, 6); // adopted, meals and treats
                    records.addAll(history);
                    newest.put(id, history.get(5));
                }
            }
            TOPIC.sendAll(records);

            List<StateRecord> received = new ArrayList<>();
            start = System.nanoTime();
            while (received.size() < records.size() && System.nanoTime() - start < PATIENCE.toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : dying.poll(Duration.ofMillis(200))) {
                    if (newest.containsKey(PetStateCodec.petIdOf(r.key()))) {
                        received.add(new StateRecord(r.key(), r.value(), r.partition(), r.offset()));
                    }
                }
            }
            assertThat(received).as("the dying instance got the whole batch").hasSize(records.size());
            // half of the pets written, then the instance dies: no commit of these offsets
            List<LatestEvent> batch = PetBatch.coalesce(received, partitions).events();
            List<LatestEvent> half = batch.subList(0, batch.size() / 2);
            writer.write(half, List.of()).await().atMost(PATIENCE);
            half.forEach(l -> writtenBeforeTheCrash.put(l.event().id(), l.event().version()));
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

    /** A plain member of the persistence group that commits only by hand, as the service does after writing. */
    private static KafkaConsumer<byte[], byte[]> groupMember() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, PetStateTopic.GROUP,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A plain consumer of the persistence group that persists what it is given the way the service does. */
    private static final class SecondInstance implements Runnable {
        private final BatchWriter writer;
        private final KafkaConsumer<byte[], byte[]> consumer = groupMember();
        final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
        final Set<Integer> everAssigned = ConcurrentHashMap.newKeySet();
        final Set<Long> written = ConcurrentHashMap.newKeySet();
        final Set<Integer> clocks = ConcurrentHashMap.newKeySet();

        SecondInstance(BatchWriter writer) {
            this.writer = writer;
        }

        @Override
        public void run() {
            try (consumer) {
                consumer.subscribe(List.of(Topics.PET_STATE));
                while (true) {
                    ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
                    assigned.clear();
                    assigned.addAll(consumer.assignment());
                    consumer.assignment().forEach(tp -> everAssigned.add(tp.partition()));
                    if (polled.isEmpty()) {
                        continue;
                    }
                    List<StateRecord> received = new ArrayList<>();
                    for (ConsumerRecord<byte[], byte[]> r : polled) {
                        received.add(new StateRecord(r.key(), r.value(), r.partition(), r.offset()));
                    }
                    PetBatch batch = PetBatch.coalesce(received, PetHistories.partitions());
                    writer.write(batch.events(), batch.clocks()).await().atMost(PATIENCE);
                    batch.events().forEach(l -> written.add(l.event().id()));
                    batch.clocks().forEach(c -> clocks.add(c.partition()));
                    consumer.commitSync(); // after the database commit, as the service
                }
            } catch (WakeupException stopped) {
                // stop() asked it to leave the group
            }
        }

        void stop() {
            consumer.wakeup();
        }
    }
}
