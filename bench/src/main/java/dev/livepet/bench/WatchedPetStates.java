package dev.livepet.bench;

import dev.livepet.stack.LocalStack;
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

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark's own reader of pet-state ({@code read_committed}, as the services read it) from the end of every
 * partition as it was when started: hands the events of the watched pets and every partition's ticks to a callback,
 * and counts every event and tick. The key decides before any parsing, so the rest of the world costs little.
 */
final class WatchedPetStates implements AutoCloseable {
    /** What the reader hands on, on its own thread, in each partition's order. */
    interface Records {
        /** An event of one of the watched pets. */
        void event(PetState event);

        /** A tick of any partition. */
        void tick(PartitionTick tick);
    }

    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final Thread thread;
    private volatile int partitions;

    private WatchedPetStates(LocalStack stack, long[] sortedIds, Records records) {
        thread = new Thread(() -> read(stack, sortedIds, records), "watched-pet-states");
        thread.setDaemon(true);
    }

    /** Starts reading; returns once every partition's start is fixed, so no later record is missed. */
    static WatchedPetStates follow(LocalStack stack, long[] sortedIds, Records records) throws InterruptedException {
        WatchedPetStates reader = new WatchedPetStates(stack, sortedIds, records);
        reader.thread.start();
        if (!reader.positioned.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the benchmark's pet-state reader did not start");
        }
        return reader;
    }

    /** True once this reader has read every partition of pet-state up to the given offsets. */
    boolean reached(Map<Integer, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** Events of every pet read so far. */
    long events() {
        return events.get();
    }

    /** Tick records of every partition read so far. */
    long ticks() {
        return ticks.get();
    }

    /** Records no reader of the contract could use (they go to the dead letters of the services). */
    long unreadable() {
        return unreadable.get();
    }

    /** pet-state's partition count. */
    int partitions() {
        return partitions;
    }

    private void read(LocalStack stack, long[] sortedIds, Records records) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = consumer.partitionsFor(Topics.PET_STATE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            partitions = all.size();
            consumer.assign(all);
            consumer.seekToEnd(all);
            all.forEach(tp -> positions.put(tp.partition(), consumer.position(tp)));
            positioned.countDown();
            while (consuming.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    take(r, sortedIds, records);
                }
                all.forEach(tp -> positions.put(tp.partition(), consumer.position(tp)));
            }
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> r, long[] sortedIds, Records records) {
        boolean tick = PetStateCodec.isTickKey(r.key());
        long id = tick ? -1 : PetStateCodec.petIdOf(r.key());
        if (!tick && id < 0) {
            unreadable.incrementAndGet();
            return;
        }
        if (!tick) {
            events.incrementAndGet();
            if (Arrays.binarySearch(sortedIds, id) < 0) {
                return; // not watched: counted, never parsed
            }
        }
        PetStateRecord record;
        try {
            record = PetStateCodec.read(r.key(), r.value(), r.partition(), partitions);
        } catch (PoisonRecordException e) {
            unreadable.incrementAndGet();
            return;
        }
        if (record instanceof PartitionTick t) {
            ticks.incrementAndGet();
            records.tick(t);
        } else if (record instanceof PetState event) {
            records.event(event);
        }
    }

    @Override
    public void close() throws InterruptedException {
        consuming.set(false);
        thread.join(10_000);
    }
}
