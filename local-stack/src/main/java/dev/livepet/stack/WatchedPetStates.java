package dev.livepet.stack;

import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A benchmark's own reader of pet-state ({@code read_committed}, as the services read it) from the end of every
 * partition as it was when started: hands the states of the watched pets to a callback; the key decides before any
 * parsing, so the rest of the world costs little.
 */
final class WatchedPetStates implements AutoCloseable {
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final Thread thread;

    private WatchedPetStates(LocalStack stack, long[] sortedIds, Consumer<PetState> onState) {
        thread = new Thread(() -> read(stack, sortedIds, onState), "watched-pet-states");
        thread.setDaemon(true);
    }

    /** Starts reading; returns once every partition's start is fixed, so no later state is missed. */
    static WatchedPetStates follow(LocalStack stack, long[] sortedIds, Consumer<PetState> onState) throws InterruptedException {
        WatchedPetStates reader = new WatchedPetStates(stack, sortedIds, onState);
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

    private void read(LocalStack stack, long[] sortedIds, Consumer<PetState> onState) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PET_STATE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(tp -> positions.put(tp.partition(), consumer.position(tp)));
            positioned.countDown();
            while (consuming.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    long id;
                    try {
                        id = Long.parseLong(r.key());
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (Arrays.binarySearch(sortedIds, id) >= 0) {
                        onState.accept(PetJson.state(r.value()));
                    }
                }
                partitions.forEach(tp -> positions.put(tp.partition(), consumer.position(tp)));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        consuming.set(false);
        thread.join(10_000);
    }
}
