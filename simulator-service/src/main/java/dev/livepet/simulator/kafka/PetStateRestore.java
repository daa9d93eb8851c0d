package dev.livepet.simulator.kafka;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.Topics;
import dev.livepet.contract.WorldPartitions;
import dev.livepet.simulator.domain.PartitionSnapshot;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.SnapshotChunks;
import dev.livepet.simulator.domain.WorldRules;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads partitions back into memory: the newest committed snapshot of each (when asked to) and then every committed
 * record of the state topic from the offset that snapshot covers (or from the beginning) up to the end: an event
 * replaces a pet when its version is higher, a tick moves the partition's clock to the highest tick. Runs on the
 * simulator thread while the partitions' commands wait, so that no command is applied to a pet before it is restored.
 * A snapshot or a tick that names another partition count than the topics have refuses the restore
 * ({@link WorldPartitionsRefused}): the world was made with another count. Its two readers are made once and kept
 * until {@link #close()} (the end of a membership) or a failure: every partition move waits for its restore.
 */
final class PetStateRestore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PetStateRestore.class);
    private static final long FIRST_SNAPSHOT_WINDOW = 16;

    private final KafkaClients clients;
    private final WorldRules rules;
    private final int recentCommandIds;
    private final int partitionCapacity;
    private final Duration timeout;
    private KafkaConsumer<byte[], byte[]> committedReader;
    private KafkaConsumer<byte[], byte[]> watermarkReader;

    /**
     * What a restore found.
     *
     * @param stateEnds      per partition, the state-topic offset the restored pets cover (read up to, excluded)
     * @param snapshotPets   pets loaded from snapshots
     * @param stateRecords   state-topic records (events and ticks) read after the snapshots (or from the beginning)
     * @param fromSnapshots  partitions that started from a snapshot
     */
    record Restored(Map<Integer, PetPartition> pets, Map<Integer, Long> stateEnds, long snapshotPets, long stateRecords,
                    int fromSnapshots) {
    }

    PetStateRestore(KafkaClients clients, WorldRules rules, int recentCommandIds, int partitionCapacity, Duration timeout) {
        this.clients = clients;
        this.rules = rules;
        this.recentCommandIds = recentCommandIds;
        this.partitionCapacity = partitionCapacity;
        this.timeout = timeout;
    }

    /**
     * The pets and clocks of {@code partitions} as committed, the state topic having {@code partitionCount}
     * partitions; with {@code fromSnapshots} each starts from its newest snapshot, if it has one that can be read.
     *
     * @throws WorldPartitionsRefused when a snapshot or a tick read names another partition count
     */
    Restored restore(Collection<Integer> partitions, int partitionCount, boolean fromSnapshots) {
        try {
            return restoreWithReaders(partitions, partitionCount, fromSnapshots);
        } catch (RuntimeException e) {
            close(); // the next restore starts with new readers
            throw e;
        }
    }

    /** Closes the readers; a later restore makes new ones. */
    @Override
    public void close() {
        for (KafkaConsumer<byte[], byte[]> reader : Arrays.asList(committedReader, watermarkReader)) {
            if (reader != null) {
                try {
                    reader.close(Duration.ZERO);
                } catch (RuntimeException e) {
                    LOG.debugf("closing a restore reader: %s", e);
                }
            }
        }
        committedReader = null;
        watermarkReader = null;
    }

    private Restored restoreWithReaders(Collection<Integer> partitions, int partitionCount, boolean fromSnapshots) {
        Map<Integer, PartitionSnapshot.Loaded> snapshots = fromSnapshots
                ? newestSnapshots(partitions, partitionCount) : Map.of();
        Map<Integer, PetPartition> pets = new TreeMap<>();
        List<TopicPartition> topicPartitions = new ArrayList<>();
        for (int p : partitions) {
            topicPartitions.add(new TopicPartition(Topics.PET_STATE, p));
        }
        Map<TopicPartition, Long> ends = highWatermarks(topicPartitions);
        Map<TopicPartition, Long> starts = new HashMap<>();
        long snapshotPets = 0;
        for (TopicPartition tp : topicPartitions) {
            PartitionSnapshot.Loaded snapshot = snapshots.get(tp.partition());
            if (snapshot != null && snapshot.coveredOffset() > ends.get(tp)) {
                LOG.warnf("the snapshot of partition %d covers %s up to offset %d, beyond its end %d: not used",
                        tp.partition(), Topics.PET_STATE, snapshot.coveredOffset(), ends.get(tp));
                snapshot = null;
            }
            if (snapshot != null) {
                pets.put(tp.partition(), snapshot.pets());
                starts.put(tp, snapshot.coveredOffset());
                snapshotPets += snapshot.pets().size();
            } else {
                pets.put(tp.partition(), new PetPartition(tp.partition(), rules, recentCommandIds, partitionCapacity));
            }
        }
        long[] skipped = new long[1];
        long read = readUpTo(committedReader(), topicPartitions, starts, ends, record -> {
            if (!restore(pets.get(record.partition()), record, partitionCount)) {
                skipped[0]++;
            }
        });
        pets.values().forEach(PetPartition::trimToSize);
        if (skipped[0] > 0) {
            LOG.warnf("skipped %d unreadable or misplaced records while restoring partitions %s of %s",
                    skipped[0], partitions, Topics.PET_STATE);
        }
        Map<Integer, Long> stateEnds = new TreeMap<>();
        ends.forEach((tp, end) -> stateEnds.put(tp.partition(), end));
        return new Restored(pets, stateEnds, snapshotPets, read, starts.size());
    }

    /**
     * Reads committed records of {@code partitions} from {@code starts} (the beginning where absent) up to
     * {@code ends}, excluded.
     *
     * @return how many records were read
     */
    private long readUpTo(KafkaConsumer<byte[], byte[]> reader, List<TopicPartition> partitions,
                          Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends,
                          Consumer<ConsumerRecord<byte[], byte[]>> each) {
        reader.assign(partitions);
        // a partition paused when an earlier read of this reader finished stays paused when assigned again
        reader.resume(partitions);
        // the beginnings asked for at once: a position after seekToBeginning is one round trip per partition
        List<TopicPartition> fromTheBeginning = partitions.stream().filter(tp -> !starts.containsKey(tp)).toList();
        Map<TopicPartition, Long> beginnings = fromTheBeginning.isEmpty() ? Map.of()
                : reader.beginningOffsets(fromTheBeginning, timeout);
        Set<TopicPartition> reading = new HashSet<>();
        for (TopicPartition tp : partitions) {
            long start = starts.containsKey(tp) ? starts.get(tp) : beginnings.get(tp);
            reader.seek(tp, start);
            if (start < ends.get(tp)) {
                reading.add(tp);
            }
        }
        reader.pause(partitions.stream().filter(tp -> !reading.contains(tp)).toList());
        // by partition number, so that no record needs a lookup object
        long[] endOf = new long[partitions.stream().mapToInt(TopicPartition::partition).max().orElse(0) + 1];
        partitions.forEach(tp -> endOf[tp.partition()] = ends.get(tp));
        long read = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reading.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("restoring partitions " + partitions + " took longer than " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                if (record.offset() < endOf[record.partition()]) {
                    each.accept(record);
                    read++;
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
        return read;
    }

    /**
     * The newest committed snapshot of each partition that has one. Snapshots are appended in transactions, so the
     * newest lies at the end of its partition: read a few records back from the end, and further back while the
     * newest snapshot seen there is not complete. A snapshot that cannot be read is skipped with a warning.
     */
    private Map<Integer, PartitionSnapshot.Loaded> newestSnapshots(Collection<Integer> partitions, int partitionCount) {
        Map<Integer, PartitionSnapshot.Loaded> found = new TreeMap<>();
        KafkaConsumer<byte[], byte[]> reader = committedReader();
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(Topics.PET_SNAPSHOTS, p)).toList();
        // assigned first: a read_committed consumer keeps the last stable offset only of partitions it is assigned
        reader.assign(all);
        Map<TopicPartition, Long> begins = reader.beginningOffsets(all, timeout);
        // read_committed: the last stable offset, so an open transaction's snapshot is not waited for
        Map<TopicPartition, Long> ends = reader.endOffsets(all, timeout);
        Map<TopicPartition, Long> windows = new HashMap<>();
        all.stream().filter(tp -> ends.get(tp) > begins.get(tp)).forEach(tp -> windows.put(tp, FIRST_SNAPSHOT_WINDOW));
        while (!windows.isEmpty()) {
            Map<TopicPartition, Long> starts = new HashMap<>();
            Map<Integer, SnapshotChunks.Assembly> assemblies = new HashMap<>();
            windows.forEach((tp, window) -> {
                starts.put(tp, Math.max(begins.get(tp), ends.get(tp) - window));
                assemblies.put(tp.partition(), new SnapshotChunks.Assembly(tp.partition()));
            });
            readUpTo(reader, List.copyOf(windows.keySet()), starts, ends,
                    record -> assemblies.get(record.partition()).add(record.value()));
            for (TopicPartition tp : List.copyOf(windows.keySet())) {
                SnapshotChunks.Assembly assembly = assemblies.get(tp.partition());
                boolean furtherBack = starts.get(tp) > begins.get(tp);
                if (furtherBack && (assembly.newestComplete() == null || assembly.newestIsIncomplete())) {
                    windows.put(tp, Math.max(windows.get(tp) * 4, 2L * assembly.newestChunkCount() + FIRST_SNAPSHOT_WINDOW));
                    continue;
                }
                windows.remove(tp);
                byte[] payload = assembly.newestComplete();
                if (payload == null) {
                    continue;
                }
                try {
                    PartitionSnapshot.Loaded loaded = PartitionSnapshot.read(payload, tp.partition(), rules, recentCommandIds);
                    refuseAnotherWorld(partitionCount, loaded.partitionCount());
                    found.put(tp.partition(), loaded);
                } catch (IllegalArgumentException e) {
                    LOG.warnf("the newest snapshot of partition %d is unreadable, replaying %s instead: %s",
                            tp.partition(), Topics.PET_STATE, e.getMessage());
                }
            }
        }
        return found;
    }

    /**
     * Where reading stops: the high watermark, not the last stable offset. commitTransaction() returns before the
     * commit markers reach pet-state, so right after a predecessor's (or our own) last commit the last stable offset
     * can still stand before it, while its command offsets already count as committed. A read_committed reader
     * cannot pass a transaction that is still open, so reading to the high watermark waits until every transaction
     * begun before now is committed (and read) or aborted (and skipped): at most the transaction timeout.
     */
    private Map<TopicPartition, Long> highWatermarks(List<TopicPartition> topicPartitions) {
        if (watermarkReader == null) {
            watermarkReader = clients.stateReader(false);
        }
        watermarkReader.assign(topicPartitions);
        return watermarkReader.endOffsets(topicPartitions, timeout);
    }

    private KafkaConsumer<byte[], byte[]> committedReader() {
        if (committedReader == null) {
            committedReader = clients.stateReader(true);
        }
        return committedReader;
    }

    private static boolean restore(PetPartition pets, ConsumerRecord<byte[], byte[]> record, int partitionCount) {
        PetStateRecord read;
        try {
            read = PetStateCodec.read(record.key(), record.value(), record.partition(), partitionCount);
        } catch (PoisonRecordException e) {
            // the persistence service dead-letters it; a restore passes over it
            LOG.debugf("unusable record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return false;
        }
        if (read instanceof PetState event) {
            pets.restore(event);
        } else if (read instanceof PartitionTick tick) {
            refuseAnotherWorld(partitionCount, tick.partitions());
            pets.restoreClock(tick);
        }
        return true;
    }

    private static void refuseAnotherWorld(int topicPartitions, int recordedPartitions) {
        String mismatch = WorldPartitions.mismatch(topicPartitions, recordedPartitions);
        if (mismatch != null) {
            throw new WorldPartitionsRefused(mismatch);
        }
    }
}
