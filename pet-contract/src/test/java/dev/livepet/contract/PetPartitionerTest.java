package dev.livepet.contract;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PetPartitionerTest {

    @Test
    void agreesWithTheKafkaClientsDefaultPartitionerForKeyedRecords() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long petId = i < 50_000 ? i + 1 : random.nextLong(1, Long.MAX_VALUE);
            String key = PetPartitioner.key(petId);
            for (int partitions : new int[]{1, 7, 24, 240}) {
                int clients = BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
                assertThat(PetPartitioner.partitionOf(petId, partitions)).as("pet %d of %d", petId, partitions)
                        .isEqualTo(clients);
            }
        }
    }

    @Test
    void keyIsTheDecimalId() {
        assertThat(PetPartitioner.key(1234567890123L)).isEqualTo("1234567890123");
    }

    @Test
    void spreadsPetsOverEveryPartition() {
        int[] counts = new int[24];
        for (long id = 1; id <= 24_000; id++) {
            counts[PetPartitioner.partitionOf(id, 24)]++;
        }
        // murmur2 spreads sequential ids evenly enough that no partition is starved or doubled
        assertThat(java.util.Arrays.stream(counts).min().orElseThrow()).isGreaterThan(800);
        assertThat(java.util.Arrays.stream(counts).max().orElseThrow()).isLessThan(1200);
    }
}
