package dev.livepet.simulator;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The test stack with pets already in {@code pet-state} before the simulator starts: it must restore them and
 * carry on from their highest version. Each pet gets versions 1..5 and then a stale copy of version 2.
 */
public class PreloadedWorld implements QuarkusTestResourceLifecycleManager {
    static final int PARTITION = 0;
    static final int RESTORED_AGE = 1_000;
    static final int RESTORED_HUNGER = 280;
    static final long RESTORED_VERSION = 5;

    /** Two pets of partition 0 with ids no other test uses. */
    static List<Long> restoredPets(int partitions) {
        return LongStream.iterate(9_000_000_000L, id -> id + 1)
                .filter(id -> PetPartitioner.partitionOf(id, partitions) == PARTITION)
                .limit(2).boxed().toList();
    }

    /** The command whose effect is the restored version 5 of {@code petId}. */
    static String restoredCommand(long petId) {
        return "preloaded-meal-" + petId;
    }

    /** What the simulator must restore: version 5. */
    static PetState restored(long petId) {
        return state(petId, RESTORED_VERSION, RESTORED_AGE, RESTORED_HUNGER, Cause.FED, restoredCommand(petId));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new LocalStackTestResource().start();
        try (KafkaProbe probe = new KafkaProbe(LocalStackTestResource.stack().kafkaBootstrapServers())) {
            for (long petId : restoredPets(probe.partitions())) {
                for (long version = 1; version < RESTORED_VERSION; version++) {
                    probe.send(Topics.PET_STATE, KafkaProbe.key(petId), PetJson.write(
                            state(petId, version, RESTORED_AGE - 5 + (int) version, 300, Cause.TICK, null)));
                }
                probe.send(Topics.PET_STATE, KafkaProbe.key(petId), PetJson.write(restored(petId)));
                probe.send(Topics.PET_STATE, KafkaProbe.key(petId), PetJson.write(
                        state(petId, 2, 3, 490, Cause.TICK, null)));
            }
        }
        return properties;
    }

    private static PetState state(long petId, long version, int age, int hunger, Cause cause, String command) {
        return new PetState(petId, "preloader", "Restored Rex", Species.SEA_TURTLE, age, hunger, true, version, cause,
                1_700_000_000_000L + version, command);
    }

    @Override
    public void stop() {
        // the shared stack outlives this test class
    }
}
