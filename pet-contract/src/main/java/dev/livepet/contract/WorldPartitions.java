package dev.livepet.contract;

/**
 * A world's partition count is fixed for its life: a pet lives in partition {@code murmur2(id) % P}, so with another
 * count its commands, its events and its partition's clock would be looked for in the wrong place. The count a world
 * was made with is recorded in every {@link PartitionTick} (and in what the services keep of them); a service that
 * finds the topics with another count refuses to start.
 */
public final class WorldPartitions {
    private WorldPartitions() {
    }

    /**
     * Why a service must not start, or null when it may.
     *
     * @param topicPartitions    the partition count the topics have now
     * @param recordedPartitions the count the world's ticks recorded, 0 when the world has not ticked yet
     */
    public static String mismatch(int topicPartitions, int recordedPartitions) {
        if (recordedPartitions <= 0 || recordedPartitions == topicPartitions) {
            return null;
        }
        return "the topics " + Topics.PET_COMMANDS + " and " + Topics.PET_STATE + " have " + topicPartitions
                + " partitions, but this world was made with " + recordedPartitions + ": a pet lives in partition"
                + " murmur2(id) % count, so its events and clock would be looked for in the wrong place. Give the"
                + " topics back their " + recordedPartitions + " partitions, or move the stopped world to a new count"
                + " by copying every pet's last event into new topics";
    }
}
