package dev.livepet.simulator.kafka;

import dev.livepet.contract.Topics;
import dev.livepet.contract.WorldPartitions;
import dev.livepet.simulator.KafkaProbe;
import dev.livepet.simulator.Simulator;
import dev.livepet.simulator.SimulatorConfig;
import dev.livepet.simulator.WorldConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * A world made with another partition count than its topics have now: the simulator refuses with the contract's
 * sentence, says so in its health, and publishes nothing.
 */
@QuarkusTest
@WithTestResource(OtherWorld.class)
class PartitionCountGuardTest {
    private static final String REFUSAL = WorldPartitions.mismatch(OtherWorld.TOPIC_PARTITIONS, OtherWorld.WORLD_PARTITIONS);

    @Inject
    Simulator simulator;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    WorldConfig world;

    @Inject
    SimulatorConfig config;

    @Test
    void theSimulatorRefusesAWorldMadeWithAnotherPartitionCountAndPublishesNothing() {
        await().atMost(Duration.ofSeconds(60)).until(() -> simulator.death().isPresent());

        assertThat(simulator.death().orElseThrow()).isInstanceOf(WorldPartitionsRefused.class).hasMessage(REFUSAL);
        assertThat(simulator.ready()).isFalse();
        given().get("/q/health/live").then().statusCode(503).body(containsString(REFUSAL));
        given().get("/q/health/ready").then().statusCode(503).body(containsString(REFUSAL));
        try (KafkaProbe probe = new KafkaProbe((String) kafka.get("bootstrap.servers"))) {
            assertThat(probe.endOffsets(Topics.PET_STATE)).as("only the world's own ticks")
                    .containsOnly(Map.entry(tp(Topics.PET_STATE, 0), 1L), Map.entry(tp(Topics.PET_STATE, 1), 0L),
                            Map.entry(tp(Topics.PET_STATE, 2), 1L));
            assertThat(probe.endOffsets(Topics.PET_SNAPSHOTS)).as("only the world's own snapshot")
                    .containsOnly(Map.entry(tp(Topics.PET_SNAPSHOTS, 0), 0L), Map.entry(tp(Topics.PET_SNAPSHOTS, 1), 1L),
                            Map.entry(tp(Topics.PET_SNAPSHOTS, 2), 0L));
            assertThat(probe.endOffsets(Topics.deadLetters(Topics.PET_COMMANDS)).values()).containsOnly(0L);
        }
    }

    @Test
    void aTickOfAnotherPartitionCountRefusesARestoreWithoutSnapshotsToo() {
        PetStateRestore restorer = new PetStateRestore(new KafkaClients(kafka, "guard-test-" + UUID.randomUUID(),
                Duration.ofSeconds(10)), world.rules(), config.recentCommandIds(), 16, Duration.ofMinutes(1));

        assertThatThrownBy(() -> restorer.restore(List.of(0), OtherWorld.TOPIC_PARTITIONS, false))
                .isInstanceOf(WorldPartitionsRefused.class).hasMessage(REFUSAL);
        assertThatThrownBy(() -> restorer.restore(List.of(OtherWorld.SNAPSHOT_PARTITION), OtherWorld.TOPIC_PARTITIONS, true))
                .as("the snapshot's count").isInstanceOf(WorldPartitionsRefused.class).hasMessage(REFUSAL);
        assertThat(restorer.restore(List.of(OtherWorld.SNAPSHOT_PARTITION), OtherWorld.TOPIC_PARTITIONS, false).pets())
                .as("a partition with neither is this world's").containsOnlyKeys(OtherWorld.SNAPSHOT_PARTITION);
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
