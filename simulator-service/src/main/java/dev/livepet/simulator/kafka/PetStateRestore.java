package dev.livepet.simulator.kafka;

import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.Topics;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.PetStateJson;
import dev.livepet.simulator.domain.WorldRules;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads partitions of the compacted state topic back into memory: every committed state from the beginning up
 * to the end, the highest version of each pet winning. Runs on the simulator thread while the partitions' commands
 * wait, so that no command is applied to a pet before it is restored.
 */
final class PetStateRestore {
    private static final Logger LOG = Logger.getLogger(PetStateRestore.class);

    private final KafkaClients clients;
    private final WorldRules rules;
    private final int recentCommandIds;
    private final int partitionCapacity;
    private final Duration timeout;

    PetStateRestore(KafkaClients clients, WorldRules rules, int recentCommandIds, int partitionCapacity, Duration timeout) {
        this.clients = clients;
        this.rules = rules;
        this.recentCommandIds = recentCommandIds;
        this.partitionCapacity = partitionCapacity;
        this.timeout = timeout;
    }

    /** The pets of {@code partitions} as committed in the state topic, which has {@code partitionCount} partitions. */
    Map<Integer, PetPartition> restore(Collection<Integer> partitions, int partitionCount) {
        Map<Integer, PetPartition> pets = new TreeMap<>();
        List<TopicPartition> topicPartitions = new ArrayList<>();
        for (int p : partitions) {
            pets.put(p, new PetPartition(p, rules, recentCommandIds, partitionCapacity));
            topicPartitions.add(new TopicPartition(Topics.PET_STATE, p));
        }
        long skipped = 0;
        Map<TopicPartition, Long> ends = highWatermarks(topicPartitions);
        try (KafkaConsumer<byte[], byte[]> reader = clients.stateReader(true)) {
            reader.assign(topicPartitions);
            reader.seekToBeginning(topicPartitions);
            long[] endOf = new long[partitionCount];
            Set<TopicPartition> reading = new HashSet<>();
            for (TopicPartition tp : topicPartitions) {
                endOf[tp.partition()] = ends.get(tp);
                if (reader.position(tp, timeout) < endOf[tp.partition()]) {
                    reading.add(tp);
                }
            }
            reader.pause(topicPartitions.stream().filter(tp -> !reading.contains(tp)).toList());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reading.isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException("restoring partitions " + partitions + " of " + Topics.PET_STATE
                            + " took longer than " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.offset() < endOf[record.partition()]
                            && !restore(pets.get(record.partition()), record, partitionCount)) {
                        skipped++;
                    }
                }
                for (Iterator<TopicPartition> it = reading.iterator(); it.hasNext(); ) {
                    TopicPartition tp = it.next();
                    if (reader.position(tp) >= endOf[tp.partition()]) {
                        it.remove();
                        reader.pause(List.of(tp));
                    }
                }
            }
        }
        pets.values().forEach(PetPartition::trimToSize);
        if (skipped > 0) {
            LOG.warnf("skipped %d unreadable or misplaced records while restoring partitions %s of %s",
                    skipped, partitions, Topics.PET_STATE);
        }
        return pets;
    }

    /**
     * Where reading stops: the high watermark, not the last stable offset. commitTransaction() returns before the
     * commit markers reach pet-state, so right after a predecessor's (or our own) last commit the last stable offset
     * can still stand before it, while its command offsets already count as committed. A read_committed reader
     * cannot pass a transaction that is still open, so reading to the high watermark waits until every transaction
     * begun before now is committed (and read) or aborted (and skipped): at most the transaction timeout.
     */
    private Map<TopicPartition, Long> highWatermarks(List<TopicPartition> topicPartitions) {
        try (KafkaConsumer<byte[], byte[]> offsets = clients.stateReader(false)) {
            offsets.assign(topicPartitions);
            return offsets.endOffsets(topicPartitions, timeout);
        }
    }

    private static boolean restore(PetPartition pets, ConsumerRecord<byte[], byte[]> record, int partitionCount) {
        if (record.value() == null) {
            return false;
        }
        PetState state;
        try {
            state = PetStateJson.read(record.value());
        } catch (PoisonRecordException e) {
            LOG.debugf("unreadable state at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return false;
        }
        // a state in the wrong partition would make two instances tick the same pet
        if (PetPartitioner.partitionOf(state.id(), partitionCount) != record.partition()) {
            return false;
        }
        pets.restore(state);
        return true;
    }
}
