package dev.livepet.simulator;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The test stack with a world already in {@code pet-state} before the simulator starts: partition 0 has ticked
 * {@link #RESTORED_CLOCK} times, and two of its pets have events of versions 1..5 and then a stale copy of version 2.
 * The simulator must restore them at their highest version and carry on from the partition's clock. Written once per
 * stack: a later start of the application (another test class) finds them there.
 */
public class PreloadedWorld implements QuarkusTestResourceLifecycleManager {
    public static final int PARTITION = 0;
    public static final int RESTORED_AGE = 1_000;
    public static final int RESTORED_HUNGER = 280;
    public static final long RESTORED_VERSION = 5;
    /** The tick the restored version holds at. */
    public static final long RESTORED_TICK = 4;
    /** The preloaded partition's last tick. */
    public static final long RESTORED_CLOCK = 6;
    private static final long AT = 1_700_000_000_000L;

    /** Two pets of partition 0 with ids no other test uses. */
    public static List<Long> restoredPets(int partitions) {
        return LongStream.iterate(9_000_000_000L, id -> id + 1)
                .filter(id -> PetPartitioner.partitionOf(id, partitions) == PARTITION)
                .limit(2).boxed().toList();
    }

    /** The command whose effect is the restored version 5 of {@code petId}. */
    public static String restoredCommand(long petId) {
        return "preloaded-meal-" + petId;
    }

    /** What the simulator must restore: version 5. */
    public static PetState restored(long petId) {
        return event(petId, RESTORED_VERSION, RESTORED_AGE, RESTORED_HUNGER, RESTORED_TICK, Cause.FED, restoredCommand(petId));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new LocalStackTestResource().start();
        try (KafkaProbe probe = new KafkaProbe(LocalStackTestResource.stack().kafkaBootstrapServers())) {
            if (probe.endOffsets(Topics.PET_STATE).get(new TopicPartition(Topics.PET_STATE, PARTITION)) > 0) {
                return properties;
            }
            TickRule rule = new TickRule(1, 5, 500);
            for (long tick = 1; tick <= RESTORED_CLOCK; tick++) {
                if (tick == RESTORED_TICK) {
                    preloadPets(probe);
                }
                probe.send(Topics.PET_STATE, PARTITION, PetStateCodec.tickKey(PARTITION), PetStateCodec.write(
                        new PartitionTick(PARTITION, probe.partitions(), tick, AT + tick, rule)));
            }
        }
        return properties;
    }

    private static void preloadPets(KafkaProbe probe) {
        for (long petId : restoredPets(probe.partitions())) {
            probe.send(Topics.PET_STATE, PARTITION, KafkaProbe.key(petId),
                    PetStateCodec.write(event(petId, 1, 0, 250, 0, Cause.ADOPTED, "preloaded-adopt-" + petId)));
            for (long version = 2; version < RESTORED_VERSION; version++) {
                probe.send(Topics.PET_STATE, PARTITION, KafkaProbe.key(petId), PetStateCodec.write(
                        event(petId, version, RESTORED_AGE - 5 + (int) version, 300, version - 1, Cause.TREAT, null)));
            }
            probe.send(Topics.PET_STATE, PARTITION, KafkaProbe.key(petId), PetStateCodec.write(restored(petId)));
            probe.send(Topics.PET_STATE, PARTITION, KafkaProbe.key(petId), PetStateCodec.write(
                    event(petId, 2, 3, 490, 1, Cause.TREAT, null)));
        }
    }

    private static PetState event(long petId, long version, int age, int hunger, long tick, Cause cause, String command) {
        return new PetState(petId, "preloader", "Restored Rex", Species.SEA_TURTLE, age, hunger, true, version, cause,
                tick, AT + version, command);
    }

    @Override
    public void stop() {
        // the shared stack outlives this test class
    }
}
