package dev.livepet.persistence;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.persistence.kafka.TickLane;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two lanes, with a tick flush interval so long that only the test flushes: a lifecycle change shows at once,
 * tick-only changes wait, and while they wait the group's committed offset stays below them, so that an
 * instance that dies before the flush leaves them to be replayed.
 */
@QuarkusTest
@TestProfile(TickLaneTest.OnlyTheTestFlushes.class)
@WithTestResource(LocalStackTestResource.class)
class TickLaneTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final PetStateTopic TOPIC = new PetStateTopic();

    public static class OnlyTheTestFlushes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livepet.persistence.tick-flush-interval", "1h");
        }
    }

    @Inject
    TickLane tickLane;

    @Inject
    MeterRegistry registry;

    @AfterAll
    static void closeClients() {
        TOPIC.close();
    }

    @Test
    void aLifecycleChangeIsWrittenAtOnceWhileTickOnlyChangesWaitForTheFlushAndHoldTheOffsets() throws Exception {
        long ticking = PetStatePersistenceTest.newPetId();
        long fed = petInTheSamePartitionAs(ticking);
        List<PetState> ticks = PetStatePersistenceTest.history(ticking, 4).subList(1, 4); // versions 2..4: ticks only
        assertThat(ticks).extracting(PetState::cause).containsOnly(Cause.TICK);
        PetState meal = PetStatePersistenceTest.history(fed, 5).get(4);
        assertThat(meal.cause()).isEqualTo(Cause.FED);

        TOPIC.sendAll(ticks.subList(0, 2));
        RecordMetadata lastTick = TOPIC.send(ticks.get(2));
        RecordMetadata mealRecord = TOPIC.send(meal); // behind the ticks in the same partition
        assertThat(mealRecord.partition()).isEqualTo(lastTick.partition());

        // the meal is in PostgreSQL although it came after the ticks...
        await().atMost(PATIENCE).until(() -> PetRows.read(List.of(fed)).containsKey(fed));
        // ...the ticks are not, and the group has not committed past them: an instance dying now loses nothing,
        // because the next one reads the partition from the committed offset and meets the ticks again
        assertThat(PetRows.read(List.of(ticking))).isEmpty();
        assertThat(TOPIC.committed(lastTick.partition())).isLessThanOrEqualTo(lastTick.offset() - 2);
        assertThat(TOPIC.keysFromTheCommittedOffset(lastTick.partition()))
                .contains(Long.toString(ticking), Long.toString(fed));

        tickLane.flush().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(PetRows.read(List.of(ticking)).get(ticking)).isNotNull()
                .satisfies(row -> assertThat(row.version()).isEqualTo(4))
                .satisfies(row -> assertThat(row.cause()).isEqualTo("tick"));
        await().atMost(PATIENCE).until(() -> TOPIC.committed(lastTick.partition()) > mealRecord.offset());
    }

    @Test
    void aReplayOfOlderTicksAfterALifecycleChangeNeverMovesThePetBack() throws Exception {
        long id = PetStatePersistenceTest.newPetId();
        List<PetState> history = PetStatePersistenceTest.history(id, 5); // adopted, 3 ticks, fed (v5)
        TOPIC.send(history.get(4));
        await().atMost(PATIENCE).until(() -> PetRows.read(List.of(id)).containsKey(id));

        TOPIC.sendAll(history.subList(1, 4)); // older ticks, e.g. replayed after a crash
        await().atMost(PATIENCE).until(() -> registry.get("livepet.persistence.tick.pending.pets").gauge().value() >= 1);
        tickLane.flush().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(PetRows.read(List.of(id)).get(id))
                .satisfies(row -> assertThat(row.version()).isEqualTo(5))
                .satisfies(row -> assertThat(row.cause()).isEqualTo("fed"));
    }

    private static long petInTheSamePartitionAs(long pet) {
        int partition = PetPartitioner.partitionOf(pet, partitions());
        long other;
        do {
            other = PetStatePersistenceTest.newPetId();
        } while (PetPartitioner.partitionOf(other, partitions()) != partition);
        return other;
    }

    private static int partitions() {
        return LocalStackTestResource.stack().settings().partitions();
    }
}
