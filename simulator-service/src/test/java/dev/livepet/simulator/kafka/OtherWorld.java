package dev.livepet.simulator.kafka;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import dev.livepet.simulator.KafkaProbe;
import dev.livepet.simulator.domain.PartitionSnapshot;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.SnapshotChunks;
import dev.livepet.simulator.domain.WorldRules;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A stack of its own whose topics have {@link #TOPIC_PARTITIONS} partitions, holding a world made with
 * {@link #WORLD_PARTITIONS}: partitions 0 and 2 of pet-state hold ticks that say so, partition 1 of pet-snapshots a
 * snapshot that says so. A simulator started on it must refuse.
 */
public class OtherWorld implements QuarkusTestResourceLifecycleManager {
    static final int TOPIC_PARTITIONS = 3;
    static final int WORLD_PARTITIONS = 4;
    static final int SNAPSHOT_PARTITION = 1;

    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        try {
            stack = LocalStack.start(LocalStackSettings.onFreePorts(Files.createTempDirectory("livepet-other-world"),
                    TOPIC_PARTITIONS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TickRule rule = new TickRule(1, 5, 500);
        try (KafkaProbe probe = new KafkaProbe(stack.kafkaBootstrapServers())) {
            for (int p = 0; p < TOPIC_PARTITIONS; p += 2) {
                probe.send(Topics.PET_STATE, p, PetStateCodec.tickKey(p),
                        PetStateCodec.write(new PartitionTick(p, WORLD_PARTITIONS, 7, 1_700_000_000_000L, rule)));
            }
            byte[] snapshot = PartitionSnapshot.write(new PetPartition(SNAPSHOT_PARTITION, WorldRules.original(), 10),
                    WORLD_PARTITIONS, 0, 1_700_000_000_000L);
            for (SnapshotChunks.Chunk chunk : SnapshotChunks.split(SNAPSHOT_PARTITION, 1, snapshot, 1024)) {
                probe.send(Topics.PET_SNAPSHOTS, SNAPSHOT_PARTITION, chunk.key(), chunk.value());
            }
        }
        return stack.serviceProperties();
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
    }
}
