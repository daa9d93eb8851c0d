package dev.livepet.contract;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * Where a pet lives: partition {@code murmur2(key) % P}, exactly the Kafka client's default for a keyed record,
 * so that kcat, the console tools and every service agree.
 */
public final class PetPartitioner {
    private PetPartitioner() {
    }

    /** The record key of a pet: its id as a decimal string. */
    public static String key(long petId) {
        return Long.toString(petId);
    }

    public static int partitionOf(long petId, int partitions) {
        return partitionOf(key(petId), partitions);
    }

    public static int partitionOf(String key, int partitions) {
        return partitionOf(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    public static int partitionOf(byte[] keyBytes, int partitions) {
        return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }
}
