package dev.livepet.system;

import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything committed to pet-state, read from the beginning as it is written, per pet in topic order; or, for a
 * long run, handed to a sink that keeps only what it checks.
 */
final class PetStateLog implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private final Map<Long, List<PetState>> byPet = new HashMap<>();
    private final Consumer<PetState> sink;
    private volatile boolean running = true;

    PetStateLog(String bootstrapServers) {
        this(bootstrapServers, null);
    }

    PetStateLog(String bootstrapServers, Consumer<PetState> sink) {
        this.sink = sink != null ? sink : this::keep;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.PET_STATE).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(this::read, "pet-state-log");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(PetJson.state(r.value()));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void keep(PetState state) {
        synchronized (byPet) {
            byPet.computeIfAbsent(state.id(), id -> new ArrayList<>()).add(state);
        }
    }

    /** The pet's committed changes in the order they were written. */
    List<PetState> of(long petId) {
        synchronized (byPet) {
            return List.copyOf(byPet.getOrDefault(petId, List.of()));
        }
    }

    Map<Long, List<PetState>> all() {
        synchronized (byPet) {
            Map<Long, List<PetState>> copy = new HashMap<>();
            byPet.forEach((id, states) -> copy.put(id, List.copyOf(states)));
            return copy;
        }
    }

    /** The newest version of each pet seen so far. */
    Map<Long, Long> latestVersions() {
        Map<Long, Long> latest = new HashMap<>();
        all().forEach((id, states) -> latest.put(id, states.get(states.size() - 1).version()));
        return latest;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(10_000);
    }
}
