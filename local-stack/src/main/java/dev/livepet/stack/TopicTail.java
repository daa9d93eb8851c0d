package dev.livepet.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;
import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.FeedCommand;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * {@code ./livepet topics tail}: follows a topic and prints each record for a person — one line per pet state or
 * command, or indented JSON — optionally only one pet's records (reading just that pet's partition).
 */
public final class TopicTail {
    /** Where to start in each partition: the end, the beginning, or this many records before the end. */
    public record Start(boolean fromBeginning, long lastPerPartition) {
        public static final Start END = new Start(false, 0);
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String bootstrap;
    private final String topic;
    private final Long pet;
    private final boolean json;

    public TopicTail(String bootstrap, String topic, Long pet, boolean json) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.pet = pet;
        this.json = json;
    }

    /** Prints records until {@code max} were printed (0: no limit) or {@code stop} says so; returns how many. */
    public long run(Start start, long max, PrintStream out, BooleanSupplier stop) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("there is no topic '" + topic + "' at " + bootstrap);
            }
            String petKey = pet == null ? null : PetPartitioner.key(pet);
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    // a pet's records are all in its partition: read only that one
                    .filter(tp -> petKey == null || tp.partition() == PetPartitioner.partitionOf(petKey, infos.size()))
                    .toList();
            consumer.assign(partitions);
            long printed = 0;
            if (petKey != null && start.lastPerPartition() > 0) {
                // a pet's last N states are somewhere in its partition: read it up to now, keep the last N
                Deque<String> last = lastOfPet(consumer, partitions.get(0), petKey, start.lastPerPartition(), stop);
                for (String line : last) {
                    out.println(line);
                    if (++printed == max) {
                        return printed;
                    }
                }
            } else {
                seek(consumer, partitions, start);
            }
            while (!stop.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    if (petKey != null && !petKey.equals(key)) {
                        continue;
                    }
                    out.println(json ? indented(r, key) : line(r, key));
                    if (++printed == max) {
                        return printed;
                    }
                }
            }
            return printed;
        }
    }

    private Deque<String> lastOfPet(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, String petKey,
                                    long n, BooleanSupplier stop) {
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        consumer.seekToBeginning(List.of(partition));
        Deque<String> last = new ArrayDeque<>();
        while (consumer.position(partition) < end && !stop.getAsBoolean()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                if (petKey.equals(key) && r.offset() < end) {
                    last.addLast(json ? indented(r, key) : line(r, key));
                    if (last.size() > n) {
                        last.removeFirst();
                    }
                }
            }
        }
        return last;
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Start start) {
        if (start.fromBeginning()) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, Math.max(beginnings.get(tp), ends.get(tp) - start.lastPerPartition()));
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // what the services see: never a record of an aborted or open transaction
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "livepet-topics");
        return p;
    }

    private String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return String.format("%s p%d #%d %s key %s", r.topic(), r.partition(), r.offset(),
                TIME.format(Instant.ofEpochMilli(r.timestamp())), key == null ? "-" : key);
    }

    /** One line a person can scan: the record's place and time, then the pet or command in words. */
    String line(ConsumerRecord<byte[], byte[]> r, String key) {
        String value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
        String what;
        if (value == null) {
            what = "(tombstone)";
        } else if (r.topic().equals(Topics.PET_STATE)) {
            what = describeState(value);
        } else if (r.topic().equals(Topics.PET_COMMANDS)) {
            what = describeCommand(value);
        } else {
            what = value;
        }
        return header(r, key) + "  " + what + deadLetterReason(r);
    }

    private String indented(ConsumerRecord<byte[], byte[]> r, String key) {
        String body;
        try {
            JsonNode node = INDENTED.readTree(r.value());
            body = node == null ? "(tombstone)" : INDENTED.writeValueAsString(node);
        } catch (Exception e) {
            body = new String(r.value(), StandardCharsets.UTF_8) + "\n  (not JSON: " + e.getMessage().lines().findFirst().orElse("") + ")";
        }
        return header(r, key) + deadLetterReason(r) + "\n" + body;
    }

    static String describeState(String value) {
        try {
            PetState s = PetJson.state(value);
            return String.format("%-7s v%-6d pet %d \"%s\" %s, age %d, hunger %d, %s%s", s.cause().id(),
                    s.version(), s.id(), s.name(), s.species().id(), s.age(), s.hunger(),
                    s.alive() ? "alive" : "dead", s.owner() == null ? "" : ", owner " + s.owner());
        } catch (RuntimeException e) {
            return "unreadable state: " + value;
        }
    }

    static String describeCommand(String value) {
        try {
            PetCommand c = PetJson.command(value);
            if (c instanceof AdoptCommand a) {
                return String.format("adopt   pet %d \"%s\" %s by %s, command %s", a.petId(), a.name(),
                        a.species().id(), a.owner(), a.commandId());
            }
            if (c instanceof FeedCommand f) {
                return String.format("feed    pet %d a %s from %s, command %s", f.petId(), f.food().toString().toLowerCase(),
                        f.giver(), f.commandId());
            }
            return value;
        } catch (RuntimeException e) {
            return "unreadable command: " + value;
        }
    }

    private static String deadLetterReason(ConsumerRecord<byte[], byte[]> r) {
        Header reason = r.headers().lastHeader(Topics.DLQ_REASON_HEADER);
        return reason == null ? "" : "  [dead letter: " + new String(reason.value(), StandardCharsets.UTF_8) + "]";
    }
}
