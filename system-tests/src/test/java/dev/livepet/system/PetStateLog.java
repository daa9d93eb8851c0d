package dev.livepet.system;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Everything committed to pet-state, read from the beginning as it is written (read_committed) with the contract's
 * codec: each pet's events and each partition's ticks in topic order; or, for a long run, every record handed to a
 * sink that keeps only what it checks. A record no service could read is kept apart, with the reason.
 */
final class PetStateLog implements AutoCloseable {
    private final String bootstrapServers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread reader;
    private final int partitions;
    private final Map<Long, List<PetState>> byPet = new HashMap<>();
    private final Map<Integer, List<PartitionTick>> byPartition = new HashMap<>();
    private final List<String> unreadable = new ArrayList<>();
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final Consumer<PetStateRecord> sink;
    private volatile boolean running = true;

    PetStateLog(String bootstrapServers) {
        this(bootstrapServers, null);
    }

    PetStateLog(String bootstrapServers, Consumer<PetStateRecord> sink) {
        this.bootstrapServers = bootstrapServers;
        this.sink = sink != null ? sink : this::keep;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = consumer.partitionsFor(Topics.PET_STATE).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        partitions = all.size();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        reader = new Thread(() -> read(all), "pet-state-log");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(List<TopicPartition> all) {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    PetStateRecord record;
                    try {
                        record = PetStateCodec.read(r.key(), r.value(), r.partition(), partitions);
                    } catch (PoisonRecordException e) {
                        synchronized (unreadable) {
                            unreadable.add(r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
                        }
                        continue;
                    }
                    sink.accept(record);
                }
                for (TopicPartition tp : all) {
                    positions.put(tp.partition(), consumer.position(tp));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void keep(PetStateRecord record) {
        synchronized (byPet) {
            if (record instanceof PetState event) {
                byPet.computeIfAbsent(event.id(), id -> new ArrayList<>()).add(event);
            } else if (record instanceof PartitionTick tick) {
                byPartition.computeIfAbsent(tick.partition(), p -> new ArrayList<>()).add(tick);
            }
        }
    }

    int partitions() {
        return partitions;
    }

    /** Waits until this log has read everything committed to pet-state before the call. */
    void awaitCaughtUp(Duration atMost) throws Exception {
        Map<Integer, Long> ends;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(Topics.PET_STATE, p), OffsetSpec.latest());
            }
            ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> ends.entrySet().stream()
                .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue()));
    }

    /** The pet's committed events in the order they were written. */
    List<PetState> of(long petId) {
        synchronized (byPet) {
            return List.copyOf(byPet.getOrDefault(petId, List.of()));
        }
    }

    Map<Long, List<PetState>> all() {
        synchronized (byPet) {
            Map<Long, List<PetState>> copy = new HashMap<>();
            byPet.forEach((id, events) -> copy.put(id, List.copyOf(events)));
            return copy;
        }
    }

    /** The newest version of each pet seen so far. */
    Map<Long, Long> latestVersions() {
        Map<Long, Long> latest = new HashMap<>();
        all().forEach((id, events) -> latest.put(id, events.get(events.size() - 1).version()));
        return latest;
    }

    /** The partition's committed ticks in the order they were written. */
    List<PartitionTick> ticksOf(int partition) {
        synchronized (byPet) {
            return List.copyOf(byPartition.getOrDefault(partition, List.of()));
        }
    }

    /** The newest tick of each partition seen so far. */
    Map<Integer, Long> latestTicks() {
        Map<Integer, Long> latest = new HashMap<>();
        synchronized (byPet) {
            byPartition.forEach((p, ticks) -> latest.put(p, ticks.get(ticks.size() - 1).tick()));
        }
        return latest;
    }

    /** Records no reader of the contract could use, with where they are and why. */
    List<String> unreadable() {
        synchronized (unreadable) {
            return List.copyOf(unreadable);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(10_000);
    }
}
