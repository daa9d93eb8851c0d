package dev.livepet.stack;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every pet's last event and every partition's last tick on {@code pet-state}, read committed from the beginning to
 * the ends the topic had when the census began. Compaction may not have run yet: of a pet's several events the
 * highest version wins (the later one on a tie), of a partition's ticks the highest.
 */
final class PetCensus {
    // a census that reads nothing new for this long is stuck (an open transaction lasts at most its timeout)
    private static final Duration STALL = Duration.ofMinutes(2);

    private final int partitions;
    private final Map<Long, PetState> pets = new HashMap<>();
    private final PartitionTick[] clocks;
    private long records;
    private long unusable;

    private PetCensus(int partitions) {
        this.partitions = partitions;
        this.clocks = new PartitionTick[partitions];
    }

    /** Reads the topic of a world with {@code partitions} partitions, saying how far it is on {@code out}. */
    static PetCensus take(String bootstrap, int partitions, String what, PrintStream out) {
        PetCensus census = new PetCensus(partitions);
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(Topics.PET_STATE, p));
        }
        Map<TopicPartition, Long> ends = highWatermarks(bootstrap, all);
        try (KafkaConsumer<byte[], byte[]> reader = consumer(bootstrap, "read_committed")) {
            reader.assign(all);
            Map<TopicPartition, Long> begins = reader.beginningOffsets(all);
            long total = all.stream().mapToLong(tp -> Math.max(0, ends.get(tp) - begins.get(tp))).sum();
            Progress progress = new Progress(out, what, "offsets", total);
            reader.seekToBeginning(all);
            Map<TopicPartition, Long> positions = new HashMap<>(begins);
            List<TopicPartition> reading = new ArrayList<>(all.stream().filter(tp -> ends.get(tp) > begins.get(tp)).toList());
            reader.pause(all.stream().filter(tp -> !reading.contains(tp)).toList());
            long[] endOf = new long[partitions]; // by partition number: no lookup object per record
            all.forEach(tp -> endOf[tp.partition()] = ends.get(tp));
            long lastNews = System.nanoTime();
            while (!reading.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.offset() < endOf[r.partition()]) {
                        census.take(r);
                    }
                }
                // positions, not records, measure the way: compaction and transaction markers leave gaps
                for (TopicPartition tp : List.copyOf(reading)) {
                    long position = reader.position(tp);
                    long moved = Math.min(position, ends.get(tp)) - positions.get(tp);
                    if (moved > 0) {
                        progress.add(moved);
                        positions.put(tp, positions.get(tp) + moved);
                        lastNews = System.nanoTime();
                    }
                    if (position >= ends.get(tp)) {
                        reading.remove(tp);
                        reader.pause(List.of(tp));
                    }
                }
                if (System.nanoTime() - lastNews > STALL.toNanos()) {
                    throw new IllegalStateException("reading " + Topics.PET_STATE + " made no progress for "
                            + STALL.toMinutes() + " minutes (partitions " + reading + " short of their ends); nothing was changed");
                }
            }
            progress.finish(String.format("%,d pets, %,d partition clocks%s", census.pets.size(), census.ticked(),
                    census.unusable == 0 ? "" : String.format(", %,d unusable records passed over", census.unusable)));
        }
        return census;
    }

    /** A census of a world with {@code partitions} partitions, filled by {@link #take(byte[], byte[], int)}. */
    static PetCensus empty(int partitions) {
        return new PetCensus(partitions);
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        take(r.key(), r.value(), r.partition());
    }

    /** Counts one record of {@code pet-state} as it was in old partition {@code partition}. */
    void take(byte[] key, byte[] value, int partition) {
        records++;
        PetStateRecord read;
        try {
            read = PetStateCodec.read(key, value, partition, partitions);
        } catch (PoisonRecordException e) {
            // poison is the dead letters' business (the persistence service put it in pet-state.dlq): it does not move
            unusable++;
            return;
        }
        if (read instanceof PetState event) {
            pets.merge(event.id(), event, (kept, later) -> later.version() >= kept.version() ? later : kept);
        } else if (read instanceof PartitionTick tick) {
            PartitionTick kept = clocks[tick.partition()];
            if (kept == null || tick.tick() >= kept.tick()) {
                clocks[tick.partition()] = tick;
            }
        }
    }

    /** Where reading stops: what the topic holds now, committed or not (an open transaction is waited for). */
    private static Map<TopicPartition, Long> highWatermarks(String bootstrap, List<TopicPartition> all) {
        try (KafkaConsumer<byte[], byte[]> offsets = consumer(bootstrap, "read_uncommitted")) {
            return offsets.endOffsets(all, Duration.ofSeconds(60));
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String isolation) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "livepet-repartition");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    int partitions() {
        return partitions;
    }

    /** Every pet's last event, by id. */
    Map<Long, PetState> pets() {
        return pets;
    }

    /** Partition {@code p}'s last tick, null when it never ticked. */
    PartitionTick clockOf(int p) {
        return clocks[p];
    }

    PartitionTick[] clocks() {
        return clocks.clone();
    }

    long ticked() {
        long n = 0;
        for (PartitionTick c : clocks) {
            n += c == null ? 0 : 1;
        }
        return n;
    }

    long dead() {
        return pets.values().stream().filter(p -> !p.alive()).count();
    }

    long records() {
        return records;
    }

    long unusable() {
        return unusable;
    }
}
