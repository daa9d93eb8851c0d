package dev.livepet.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
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
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * {@code ./livepet topics tail}: follows a topic and prints each record for a person, one line each (or indented
 * JSON). On pet-state, events and tick records are shown as they are, as kcat shows them. With a pet, only its
 * partition is read: the pet's events, and at each tick record of the partition the pet's state at that tick, derived
 * from its last event with {@link TickRule#stateAt} and marked as derived (it is never on the topic).
 */
public final class TopicTail {
    /** Where to start in each partition: the end, the beginning, or this many records before the end. */
    public record Start(boolean fromBeginning, long lastPerPartition) {
        public static final Start END = new Start(false, 0);
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private final String bootstrap;
    private final String topic;
    private final Long pet;
    private final boolean json;
    private int partitions;
    // the watched pet's last event: what a tick record derives its state from
    private PetState lastEvent;

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
            partitions = infos.size();
            List<TopicPartition> assigned = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    // a pet's records are all in its partition, its clock's ticks too: read only that one
                    .filter(tp -> pet == null || tp.partition() == PetPartitioner.partitionOf(pet, partitions))
                    .toList();
            consumer.assign(assigned);
            long printed = 0;
            if (pet != null && !start.fromBeginning()) {
                // the pet's last event is somewhere in its partition: read it up to now, keep the last N lines
                for (String line : catchUp(consumer, assigned.get(0), start.lastPerPartition(), stop)) {
                    out.println(line);
                    if (++printed == max) {
                        return printed;
                    }
                }
            } else {
                seek(consumer, assigned, start);
            }
            while (!stop.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String shown = show(r);
                    if (shown == null) {
                        continue;
                    }
                    out.println(shown);
                    if (++printed == max) {
                        return printed;
                    }
                }
            }
            return printed;
        }
    }

    /** Reads the pet's partition from its beginning to its end as it is now; returns the last {@code n} lines. */
    private Deque<String> catchUp(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long n,
                                  BooleanSupplier stop) {
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        consumer.seekToBeginning(List.of(partition));
        Deque<String> last = new ArrayDeque<>();
        while (consumer.position(partition) < end && !stop.getAsBoolean()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() >= end) {
                    // read already, but after "now": shown live, in order, once the catching up is done
                    consumer.seek(partition, r.offset());
                    break;
                }
                String shown = show(r);
                if (shown != null && n > 0) {
                    last.addLast(shown);
                    if (last.size() > n) {
                        last.removeFirst();
                    }
                }
            }
        }
        return last;
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> assigned, Start start) {
        if (start.fromBeginning()) {
            consumer.seekToBeginning(assigned);
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(assigned);
        for (TopicPartition tp : assigned) {
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

    /** What to print for a record, or null when it is not the asked pet's. */
    String show(ConsumerRecord<byte[], byte[]> r) {
        if (pet == null || !r.topic().equals(Topics.PET_STATE)) {
            if (pet != null && !Arrays.equals(r.key(), PetStateCodec.key(pet))) {
                return null;
            }
            return json ? indented(r) : line(r);
        }
        if (Arrays.equals(r.key(), PetStateCodec.key(pet))) {
            remember(r);
            return json ? indented(r) : line(r);
        }
        if (Arrays.equals(r.key(), PetStateCodec.tickKey(r.partition()))) {
            return derived(r);
        }
        return null;
    }

    private void remember(ConsumerRecord<byte[], byte[]> r) {
        try {
            if (PetStateCodec.read(r.key(), r.value(), r.partition(), partitions) instanceof PetState event
                    && (lastEvent == null || event.version() > lastEvent.version())) {
                lastEvent = event;
            }
        } catch (PoisonRecordException e) {
            // shown as unreadable by line(); a tick derives from the last event that could be read
        }
    }

    /**
     * The pet's state at a tick record of its partition, derived from its last event; null before its first event
     * and once it is dead (a dead pet never changes, so each tick would repeat its death).
     */
    private String derived(ConsumerRecord<byte[], byte[]> r) {
        PartitionTick tick;
        try {
            tick = PetStateCodec.readTick(r.value());
        } catch (PoisonRecordException e) {
            return json ? indented(r) : line(r);
        }
        if (lastEvent == null || !lastEvent.alive() || tick.tick() <= lastEvent.tick()) {
            return null;
        }
        PetState state = TickRule.stateAt(lastEvent, tick);
        String from = String.format("  (derived from v%d at tick %d by the tick record)", lastEvent.version(), lastEvent.tick());
        try {
            if (json) {
                return header(r) + from + "\n" + INDENTED.writeValueAsString(state);
            }
            return header(r) + "  derived " + COMPACT.writeValueAsString(state) + from;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + state, e);
        }
    }

    private String header(ConsumerRecord<byte[], byte[]> r) {
        return String.format("%s p%d #%d %s key %s", r.topic(), r.partition(), r.offset(),
                TIME.format(Instant.ofEpochMilli(r.timestamp())), text(r.key(), "-"));
    }

    /** One line a person can scan: the record's place and time, then the record (on pet-state as it is). */
    String line(ConsumerRecord<byte[], byte[]> r) {
        String what;
        if (r.value() == null) {
            what = "(tombstone)";
        } else if (r.topic().equals(Topics.PET_STATE)) {
            what = text(r.value(), "") + unreadable(r);
        } else if (r.topic().equals(Topics.PET_COMMANDS)) {
            what = describeCommand(text(r.value(), ""));
        } else {
            what = text(r.value(), "");
        }
        return header(r) + "  " + what + deadLetterReason(r);
    }

    // a pet-state record no service could use says why, as the services' dead letters do
    private String unreadable(ConsumerRecord<byte[], byte[]> r) {
        try {
            PetStateRecord ignored = PetStateCodec.read(r.key(), r.value(), r.partition(), partitions);
            return "";
        } catch (PoisonRecordException e) {
            return "  [unreadable: " + e.getMessage() + "]";
        }
    }

    private String indented(ConsumerRecord<byte[], byte[]> r) {
        String body;
        try {
            JsonNode node = r.value() == null ? null : INDENTED.readTree(r.value());
            body = node == null ? "(tombstone)" : INDENTED.writeValueAsString(node);
        } catch (Exception e) {
            body = text(r.value(), "") + "\n  (not JSON: " + e.getMessage().lines().findFirst().orElse("") + ")";
        }
        String reason = r.topic().equals(Topics.PET_STATE) && r.value() != null ? unreadable(r) : "";
        return header(r) + reason + deadLetterReason(r) + "\n" + body;
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

    private static String text(byte[] bytes, String otherwise) {
        return bytes == null ? otherwise : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String deadLetterReason(ConsumerRecord<byte[], byte[]> r) {
        Header reason = r.headers().lastHeader(DeadLetter.REASON_HEADER);
        return reason == null ? "" : "  [dead letter: " + new String(reason.value(), StandardCharsets.UTF_8) + "]";
    }
}
