package dev.livepet.simulator.kafka;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.Topics;
import dev.livepet.simulator.domain.CommandOutcome;
import dev.livepet.simulator.domain.PartitionSnapshot;
import dev.livepet.simulator.domain.SnapshotChunks;
import dev.livepet.simulator.domain.PetChangeSink;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.PetStateJson;
import dev.livepet.simulator.domain.SeedPets;
import dev.livepet.simulator.domain.TickSchedule;
import dev.livepet.simulator.domain.WorldRules;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The simulator: one thread that owns the partitions Kafka's group assignment on {@code pet-commands} gives it,
 * restores their pets from {@code pet-state}, applies their commands, ticks them slice by slice and publishes
 * every change. Each step is one Kafka transaction that also commits the command offsets of every owned
 * partition with the group's metadata, so an instance that lost its partitions (a zombie) can never commit.
 * A failed transaction is aborted and the owned pets are restored from what Kafka committed.
 */
public final class SimulatorLoop {
    private static final Logger LOG = Logger.getLogger(SimulatorLoop.class);
    private static final String DEAD_LETTERS = Topics.deadLetters(Topics.PET_COMMANDS);
    private static final long MAX_POLL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int SEED_PETS_PER_STEP = 250_000;

    /**
     * @param seedPets           ownerless pets 1..n created in a partition that restores no pets
     * @param slices             steps a tick of every partition is spread over
     * @param retryBackoff       wait before joining again after a failed Kafka session
     * @param snapshotEveryTicks each owned partition is snapshotted once every this many tick intervals; 0: never,
     *                           and restores replay the state topic from its beginning
     * @param snapshotChunkBytes payload bytes per snapshot record, within Kafka's default 1 MB message size
     */
    public record Settings(int seedPets, int slices, Duration retryBackoff, int snapshotEveryTicks, int snapshotChunkBytes) {
        public static final int MAX_CHUNK_BYTES = 900 * 1024;

        public Settings {
            if (slices < 1) {
                throw new IllegalArgumentException("livepet.simulator.slices must be at least 1");
            }
            if (seedPets < 0) {
                throw new IllegalArgumentException("livepet.simulator.seed-pets must not be negative");
            }
            if (snapshotEveryTicks < 0) {
                throw new IllegalArgumentException("livepet.simulator.snapshot-every-ticks must not be negative");
            }
            if (snapshotChunkBytes < 1024 || snapshotChunkBytes > MAX_CHUNK_BYTES) {
                throw new IllegalArgumentException("livepet.simulator.snapshot-chunk-bytes must be within 1024.."
                        + MAX_CHUNK_BYTES + " so that a chunk fits Kafka's default message size of 1 MB");
            }
        }
    }

    private final KafkaClients clients;
    private final WorldRules rules;
    private final Settings settings;
    private final PetStateRestore restorer;
    private final SimulatorMetrics metrics;
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final PetChangeSink publish = this::publish;
    private final Callback stateWritten = this::stateWritten;
    private final PetStateJson json = new PetStateJson();

    // owned by the loop thread
    private final Map<Integer, PetPartition> owned = new TreeMap<>();
    private final TreeSet<Integer> unseeded = new TreeSet<>();
    private int[][] seedIds;
    private long seedingSince;
    private KafkaProducer<byte[], byte[]> producer;
    private int partitionCount;
    private TickSchedule schedule;
    private boolean inTransaction;
    private int statesInTransaction;
    private int deadLettersInTransaction;
    private int snapshotsInTransaction;
    private long snapshotBytesInTransaction;
    private boolean snapshots;
    private long slicesTicked;
    private long slicesTickedAtRestore = -1;
    // per partition: the state-topic offset the last snapshot written covers
    private final Map<Integer, Long> snapshotCovers = new HashMap<>();
    private final TreeSet<Integer> snapshotsDue = new TreeSet<>();
    // per partition: the state-topic offset after our last acknowledged state, written by the producer's thread
    private volatile AtomicLongArray statesCover = new AtomicLongArray(0);
    private AtomicLongArray alivePerPartition = new AtomicLongArray(0);

    // read by other threads
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean joined;
    private volatile boolean ready;
    private volatile Throwable failure;
    private volatile long petsAlive;
    private volatile long pets;
    private volatile long heapBytes;
    private volatile int partitionsOwned;

    public SimulatorLoop(KafkaClients clients, WorldRules rules, Settings settings, PetStateRestore restorer,
                         SimulatorMetrics metrics) {
        this.clients = clients;
        this.rules = rules;
        this.settings = settings;
        this.restorer = restorer;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "livepet-simulator");
        this.thread.setDaemon(true);
    }

    public static SimulatorLoop create(KafkaClients clients, WorldRules rules, Settings settings, int recentCommandIds,
                                       int partitionCapacity, Duration restoreTimeout, SimulatorMetrics metrics) {
        return new SimulatorLoop(clients, rules, settings,
                new PetStateRestore(clients, rules, recentCommandIds, partitionCapacity, restoreTimeout), metrics);
    }

    public void start() {
        thread.start();
    }

    /** Wakes the loop, lets it abort what is open and leave the group, and waits for it to end. */
    public void stop(Duration timeout) {
        running = false;
        stopping.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warnf("the simulator loop did not stop within %s", timeout);
        }
    }

    /** Joined the group, and every assigned partition is restored and ticking. */
    public boolean ready() {
        return ready && thread.isAlive();
    }

    /** The thread ended although nobody stopped it. */
    public boolean died() {
        return failure != null || (running && !thread.isAlive() && thread.getState() != Thread.State.NEW);
    }

    public Throwable failure() {
        return failure;
    }

    public long petsAlive() {
        return petsAlive;
    }

    public long pets() {
        return pets;
    }

    public int partitionsOwned() {
        return partitionsOwned;
    }

    /** Heap bytes the owned pets hold, as {@link PetPartition#heapBytes()} estimates them. */
    public long petHeapBytes() {
        return heapBytes;
    }

    private void run() {
        try {
            while (running) {
                try {
                    session();
                } catch (WakeupException e) {
                    // stop() woke the consumer up
                } catch (KafkaException e) {
                    if (running) {
                        LOG.warnf("left the simulator group after a Kafka failure, joining again in %s: %s",
                                settings.retryBackoff(), e.toString());
                        stopping.await(settings.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            LOG.error("the simulator loop died", t);
        } finally {
            ready = false;
        }
    }

    /** One membership in the group: from joining to a failure that needs new clients, or to the stop. */
    private void session() {
        joined = false;
        producer = clients.producer();
        try {
            // fences a predecessor with the same transactional id and aborts its open transaction
            producer.initTransactions();
            consumer = clients.commandConsumer();
            partitionCount = partitionCount();
            statesCover = new AtomicLongArray(partitionCount);
            snapshots = settings.snapshotEveryTicks() > 0 && snapshotTopicFits();
            consumer.subscribe(List.of(Topics.PET_COMMANDS), new Rebalance());
            schedule = new TickSchedule(rules.tickInterval(), settings.slices(), System.nanoTime());
            LOG.infof("simulator %s joining group %s (%d partitions, tick %s in %d slices)", clients.transactionalId(),
                    KafkaClients.GROUP_ID, partitionCount, rules.tickInterval(), settings.slices());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofNanos(pollWait()));
                try {
                    step(records);
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    recover(e);
                }
                observe();
            }
        } finally {
            endSession();
        }
    }

    private long pollWait() {
        if (!unseeded.isEmpty()) {
            return 0;
        }
        return Math.min(schedule.nanosUntilDue(System.nanoTime()), MAX_POLL_WAIT_NANOS);
    }

    /** One transaction: seeds, commands, the slice that is due, and the offsets of all owned partitions. */
    private void step(ConsumerRecords<byte[], byte[]> records) {
        long at = System.currentTimeMillis();
        seedEmptyPartitions(at);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            apply(record, at);
        }
        long now = System.nanoTime();
        // no ticks while seeding: the schedule starts afresh once every seeded pet is committed
        if (seedingSince == 0 && schedule.isDue(now)) {
            metrics.tickLateness(schedule.lateness(now));
            for (PetPartition partition : owned.values()) {
                partition.tickSlice(schedule.slice(), schedule.slices(), at, publish);
            }
            metrics.tickDuration(System.nanoTime() - now);
            if (snapshots) {
                markSnapshotsDue();
            }
            slicesTicked++;
            long skips = schedule.skips();
            schedule.advance(now);
            if (schedule.skips() > skips) {
                metrics.tickSkipped();
            }
        }
        if (inTransaction || !records.isEmpty()) {
            commit();
        }
        seedingCommitted();
        snapshotWhileIdle();
    }

    /**
     * Seeds empty partitions, whole ones, until about {@link #SEED_PETS_PER_STEP} pets are in this step's transaction:
     * transactions stay well within the transaction timeout, and the producer is not drained after every partition.
     */
    private void seedEmptyPartitions(long at) {
        int seededInStep = 0;
        while (seededInStep < SEED_PETS_PER_STEP && !unseeded.isEmpty()) {
            int p = unseeded.pollFirst();
            PetPartition partition = owned.get(p);
            if (partition != null && partition.size() == 0) {
                if (seedIds == null) {
                    seedIds = SeedPets.idsByPartition(settings.seedPets(), partitionCount);
                }
                if (seedingSince == 0) {
                    seedingSince = System.nanoTime();
                }
                int seeded = partition.seed(seedIds[p], at, publish);
                metrics.seeded(seeded);
                seededInStep += seeded;
                LOG.debugf("seeded %d pets in empty partition %d", seeded, p);
            }
        }
        if (seededInStep > 0) {
            LOG.infof("seeded %d pets; %d empty partitions to go", seededInStep, unseeded.size());
        }
        if (unseeded.isEmpty()) {
            seedIds = null;
        }
    }

    /** Once the last seeded pets are committed: how long seeding took, from the first pet created; ticking resumes. */
    private void seedingCommitted() {
        if (seedingSince != 0 && unseeded.isEmpty()) {
            long now = System.nanoTime();
            metrics.seedingDone(now - seedingSince);
            seedingSince = 0;
            // like downtime, seeding does not age pets: no burst of overdue slices once it is done
            schedule = new TickSchedule(rules.tickInterval(), settings.slices(), now);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, long at) {
        PetPartition partition = owned.get(record.partition());
        if (partition == null) {
            // cannot happen while restores run inside poll(); if it did, restoring again is the safe way out
            throw new KafkaException("a command arrived for partition " + record.partition() + ", which is not restored");
        }
        PetCommand command;
        try {
            command = readCommand(record);
        } catch (PoisonRecordException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        CommandOutcome outcome = partition.apply(command, at, publish);
        if (outcome.isRefused()) {
            deadLetter(record, outcome.reason());
        } else if (outcome.kind() != CommandOutcome.Kind.APPLIED) {
            LOG.debugf("command %s for pet %d: %s", command.commandId(), command.petId(), outcome.kind());
        }
    }

    private PetCommand readCommand(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            throw new PoisonRecordException("a command needs its pet id as the record key", null);
        }
        PetCommand command = PetJson.command(record.value());
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (!key.equals(PetPartitioner.key(command.petId()))) {
            throw new PoisonRecordException("the key '" + PoisonRecordException.excerpt(key) + "' is not the command's pet id "
                    + command.petId(), null);
        }
        int home = PetPartitioner.partitionOf(command.petId(), partitionCount);
        if (home != record.partition()) {
            throw new PoisonRecordException("pet " + command.petId() + " lives in partition " + home + ", not "
                    + record.partition(), null);
        }
        return command;
    }

    private void publish(PetPartition partition, int slot, Cause cause, long at, String commandId) {
        beginIfNeeded();
        producer.send(new ProducerRecord<>(Topics.PET_STATE, partition.partition(),
                PetStateJson.key(partition.id(slot)), json.write(partition, slot, cause, at, commandId)), stateWritten);
        statesInTransaction++;
    }

    /** Runs on the producer's thread; a transaction's callbacks have all run when its commit returns. */
    private void stateWritten(RecordMetadata written, Exception failed) {
        AtomicLongArray cover = statesCover;
        if (failed == null && written.partition() < cover.length()) {
            cover.accumulateAndGet(written.partition(), written.offset() + 1, Math::max);
        }
    }

    /**
     * Marks the partitions whose turn it is: partition p when the count of ticked slices is p modulo
     * every-ticks × slices, so that a world's snapshots spread over the interval instead of coming at once.
     */
    private void markSnapshotsDue() {
        long cycle = (long) settings.snapshotEveryTicks() * schedule.slices();
        for (PetPartition partition : owned.values()) {
            if (slicesTicked % cycle == partition.partition() % cycle) {
                snapshotsDue.add(partition.partition());
            }
        }
    }

    /**
     * Writes due snapshots, each in a transaction of its own right after a commit (so the partition equals what
     * is committed), and only while at least half a slice is left before the next one is due: ticks come first.
     */
    private void snapshotWhileIdle() {
        long slack = rules.tickInterval().toNanos() / settings.slices() / 2;
        while (!snapshotsDue.isEmpty() && !inTransaction && schedule.nanosUntilDue(System.nanoTime()) > slack) {
            PetPartition partition = owned.get(snapshotsDue.pollFirst());
            if (partition != null && snapshot(partition, System.currentTimeMillis())) {
                commit();
            }
        }
    }

    /**
     * Writes the partition's snapshot into a new transaction, unless no state was written since the last.
     *
     * @return whether it wrote one
     */
    private boolean snapshot(PetPartition partition, long at) {
        int p = partition.partition();
        long covers = statesCover.get(p);
        if (covers <= 0 || Long.valueOf(covers).equals(snapshotCovers.get(p))) {
            return false;
        }
        byte[] payload = PartitionSnapshot.write(partition, partitionCount, covers, at);
        beginIfNeeded();
        long id = ThreadLocalRandom.current().nextLong();
        for (SnapshotChunks.Chunk chunk : SnapshotChunks.split(p, id, payload, settings.snapshotChunkBytes())) {
            producer.send(new ProducerRecord<>(Topics.PET_SNAPSHOTS, p, chunk.key(), chunk.value()));
        }
        snapshotCovers.put(p, covers);
        snapshotsInTransaction++;
        snapshotBytesInTransaction += payload.length;
        return true;
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        beginIfNeeded();
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_ORIGIN_HEADER, Topics.deadLetterOrigin(record.topic(), record.partition(), record.offset()));
        // cut to the contract's limit: a letter too large for the broker would fail the transaction again and again
        producer.send(new ProducerRecord<>(DEAD_LETTERS, null, Topics.keptInDeadLetter(record.key()),
                Topics.keptInDeadLetter(record.value()), headers));
        deadLettersInTransaction++;
        LOG.infof("command %s-%d@%d refused: %s", record.topic(), record.partition(), record.offset(), reason);
    }

    private void beginIfNeeded() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    private void commit() {
        beginIfNeeded();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        }
        // always all owned partitions: the group generation in the metadata fences an instance that lost them
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        inTransaction = false;
        metrics.committed(statesInTransaction, deadLettersInTransaction);
        metrics.snapshotsCommitted(snapshotsInTransaction, snapshotBytesInTransaction);
        statesInTransaction = 0;
        deadLettersInTransaction = 0;
        snapshotsInTransaction = 0;
        snapshotBytesInTransaction = 0;
    }

    /** Nothing uncommitted may survive a failed transaction: abort it, forget the pets, restore them from Kafka. */
    private void recover(KafkaException e) {
        ready = false;
        metrics.transactionFailed();
        LOG.warnf("a transaction failed, restoring the %d owned partitions from Kafka: %s", owned.size(), e.toString());
        if (producerIsBroken(e)) {
            renewProducer();
        } else if (inTransaction) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                renewProducer();
            }
        }
        inTransaction = false;
        statesInTransaction = 0;
        deadLettersInTransaction = 0;
        snapshotsInTransaction = 0;
        snapshotBytesInTransaction = 0;
        owned.clear();
        unseeded.clear();
        snapshotCovers.clear();
        snapshotsDue.clear();
        seedingSince = 0;
        restore(consumer.assignment());
    }

    private static boolean producerIsBroken(KafkaException e) {
        return e instanceof ProducerFencedException || e instanceof OutOfOrderSequenceException
                || e instanceof AuthorizationException || e instanceof UnsupportedVersionException;
    }

    private void renewProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (KafkaException e) {
            LOG.debugf("closing the broken producer: %s", e);
        }
        producer = clients.producer();
        producer.initTransactions();
    }

    /** Restores the pets of newly owned partitions and rewinds their commands to the committed offsets. */
    private void restore(Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        ready = false;
        long start = System.nanoTime();
        // read_committed: waits until a previous owner's pending transaction (which carries its offsets) is resolved
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(assigned));
        List<Integer> numbers = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset != null) {
                consumer.seek(tp, offset);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
            numbers.add(tp.partition());
        }
        PetStateRestore.Restored restored = restorer.restore(numbers, partitionCount, snapshots);
        slicesTickedAtRestore = slicesTicked;
        long count = 0;
        for (PetPartition partition : restored.pets().values()) {
            owned.put(partition.partition(), partition);
            statesCover.set(partition.partition(), restored.stateEnds().get(partition.partition()));
            snapshotCovers.remove(partition.partition());
            count += partition.size();
            if (partition.size() == 0 && settings.seedPets() > 0) {
                unseeded.add(partition.partition());
            }
        }
        long nanos = System.nanoTime() - start;
        metrics.restored(nanos, count, restored.snapshotPets(), restored.stateRecords());
        LOG.infof("restored %d pets of partitions %s in %d ms: %d pets from the snapshots of %d partitions, then %d records of %s",
                count, restored.pets().keySet(), TimeUnit.NANOSECONDS.toMillis(nanos), restored.snapshotPets(),
                restored.fromSnapshots(), restored.stateRecords(), Topics.PET_STATE);
    }

    private void drop(Collection<TopicPartition> partitions, String why) {
        for (TopicPartition tp : partitions) {
            owned.remove(tp.partition());
            unseeded.remove(tp.partition());
            snapshotCovers.remove(tp.partition());
            snapshotsDue.remove(tp.partition());
        }
        if (!partitions.isEmpty()) {
            LOG.infof("partitions %s %s: their pets stop ticking here", numbers(partitions), why);
        }
    }

    private void observe() {
        long alive = 0;
        long all = 0;
        long bytes = 0;
        AtomicLongArray alivePerPartition = this.alivePerPartition;
        if (alivePerPartition.length() != partitionCount) {
            alivePerPartition = this.alivePerPartition = new AtomicLongArray(partitionCount);
        }
        for (PetPartition partition : owned.values()) {
            alivePerPartition.set(partition.partition(), partition.aliveCount());
            alive += partition.aliveCount();
            all += partition.size();
            bytes += partition.heapBytes();
        }
        petsAlive = alive;
        pets = all;
        heapBytes = bytes;
        partitionsOwned = owned.size();
        metrics.ownedPartitions(owned.keySet(), alivePerPartition);
        // ticking: a slice of every owned partition has ticked since the last restore
        ready = joined && unseeded.isEmpty() && owned.size() == consumer.assignment().size()
                && slicesTicked > slicesTickedAtRestore;
    }

    private int partitionCount() {
        List<PartitionInfo> commands = consumer.partitionsFor(Topics.PET_COMMANDS);
        List<PartitionInfo> states = consumer.partitionsFor(Topics.PET_STATE);
        if (commands == null || commands.isEmpty() || states == null || states.isEmpty()) {
            throw new KafkaException("the topics " + Topics.PET_COMMANDS + " and " + Topics.PET_STATE + " do not exist yet");
        }
        if (commands.size() != states.size()) {
            throw new IllegalStateException(Topics.PET_COMMANDS + " has " + commands.size() + " partitions but "
                    + Topics.PET_STATE + " has " + states.size() + "; a pet's commands and states must share a partition");
        }
        return commands.size();
    }

    /** Snapshots need their topic with one partition per pet partition; without it restores replay pet-state. */
    private boolean snapshotTopicFits() {
        List<PartitionInfo> topic = consumer.partitionsFor(Topics.PET_SNAPSHOTS);
        if (topic == null || topic.isEmpty()) {
            LOG.warnf("the topic %s does not exist: no snapshots are written, and a restore replays all of %s",
                    Topics.PET_SNAPSHOTS, Topics.PET_STATE);
            return false;
        }
        if (topic.size() != partitionCount) {
            LOG.warnf("the topic %s has %d partitions, not %d like %s: no snapshots are written, and a restore replays"
                    + " all of %s", Topics.PET_SNAPSHOTS, topic.size(), partitionCount, Topics.PET_STATE, Topics.PET_STATE);
            return false;
        }
        return true;
    }

    private void endSession() {
        ready = false;
        metrics.ownedPartitions(Set.of(), alivePerPartition);
        if (inTransaction) {
            try {
                producer.abortTransaction();
            } catch (KafkaException e) {
                LOG.debugf("aborting the open transaction on the way out: %s", e);
            }
            inTransaction = false;
        }
        owned.clear();
        unseeded.clear();
        snapshotsDue.clear();
        KafkaConsumer<byte[], byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                // a static member stays in the group when it closes unless told: leave, so others take over at once
                c.close(CloseOptions.timeout(Duration.ofSeconds(5))
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } catch (KafkaException e) {
                LOG.debugf("closing the consumer: %s", e);
            }
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (KafkaException e) {
            LOG.debugf("closing the producer: %s", e);
        }
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            restore(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // poll() and close() only run between transactions: no uncommitted change of these pets is left to commit
            drop(partitions, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions, "lost");
        }
    }
}
