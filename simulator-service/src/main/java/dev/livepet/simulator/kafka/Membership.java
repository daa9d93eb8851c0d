package dev.livepet.simulator.kafka;

import dev.livepet.contract.Topics;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.WorldRules;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;

/**
 * One membership of the simulator in the consumer group, from joining to a failure that needs new clients, or to the
 * stop: its clients, the partitions it owns and the parts that drive them. Each step is a transaction of its own: the
 * commands of every poll at once (the fast lane), then the tick when it is due, else a bounded share of seeding, else a
 * due snapshot. A failed transaction is aborted and the owned partitions are restored from what Kafka committed.
 */
final class Membership implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Membership.class);
    private static final long MAX_POLL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long REBALANCE_POLL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final WorldRules rules;
    private final PetStateRestore restorer;
    private final SimulatorMetrics metrics;
    private final SimulatorStatus status;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final GroupRebalance rebalance = new GroupRebalance();
    private final OwnedPartitions owned = new OwnedPartitions();
    private final int partitionCount;
    private final boolean snapshotsFit;
    private final AtomicLongArray alivePerPartition;
    private TransactionDriver transactions;
    private CommandIntake intake;
    private Ticker ticker;
    private Hatchery hatchery;
    private SnapshotSchedule snapshots;
    private boolean joined;

    /** Creates the clients and joins the group (the partitions come with the first poll). */
    Membership(KafkaClients clients, WorldRules rules, SimulatorLoop.Settings settings, PetStateRestore restorer,
               SimulatorMetrics metrics, SimulatorStatus status, CommandTracing tracing) {
        this.rules = rules;
        this.restorer = restorer;
        this.metrics = metrics;
        this.status = status;
        this.consumer = clients.commandConsumer(rebalance);
        try {
            partitionCount = WorldTopics.partitionCount(consumer);
            alivePerPartition = new AtomicLongArray(partitionCount);
            snapshotsFit = settings.snapshotEveryTicks() > 0 && WorldTopics.snapshotTopicFits(consumer, partitionCount);
            transactions = new TransactionDriver(clients, consumer, partitionCount, metrics);
            intake = new CommandIntake(owned, transactions, partitionCount, tracing);
            ticker = new Ticker(rules.tickInterval(), settings.tickStep(), rules.tickRule(), partitionCount,
                    settings.eventsPerTransaction(), transactions, metrics);
            hatchery = new Hatchery(settings.seedPets(), partitionCount, settings.eventsPerTransaction(), transactions,
                    metrics);
            snapshots = new SnapshotSchedule(snapshotsFit ? settings.snapshotEveryTicks() : 0,
                    settings.snapshotChunkBytes(), partitionCount, transactions);
            consumer.subscribe(List.of(Topics.PET_COMMANDS), new Rebalance());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.infof("simulator %s joining group %s (%d partitions, a tick every %s)", clients.transactionalId(),
                KafkaClients.GROUP_ID, partitionCount, rules.tickInterval());
    }

    /** Drives the owned partitions while {@code running} says so. */
    void run(BooleanSupplier running) {
        while (running.getAsBoolean()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofNanos(pollWait()));
            try {
                if (rebalance.underWay()) {
                    waitOut(records);
                } else {
                    resumeAfterRebalance();
                    step(records);
                }
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (KafkaException e) {
                recover(e);
            }
            observe();
        }
    }

    /** Makes a poll that waits, or the next one, return at once with a {@link WakeupException}. */
    void wakeup() {
        consumer.wakeup();
    }

    /** Poll without waiting while there is seeding to do, else until the next tick is due. */
    private long pollWait() {
        if (rebalance.underWay()) {
            return REBALANCE_POLL_WAIT_NANOS;
        }
        if (hatchery.hasWork()) {
            return 0;
        }
        return Math.min(ticker.nanosUntilDue(System.nanoTime()), MAX_POLL_WAIT_NANOS);
    }

    /**
     * The commands just polled in their own transaction; then the tick if one is due or under way, with the snapshots
     * it made due, else some seeding.
     */
    private void step(ConsumerRecords<byte[], byte[]> records) {
        if (!records.isEmpty()) {
            intake.apply(records);
            transactions.commit();
        }
        long now = System.nanoTime();
        if (ticker.hasWork(now)) {
            long completed = ticker.completed();
            ticker.step(owned, hatchery, now);
            if (ticker.completed() != completed) {
                snapshots.writeDue(ticker.justTicked());
            }
            if (transactions.open()) {
                transactions.commit();
            }
        } else if (hatchery.hasWork()) {
            hatchery.seedSome(owned);
            if (transactions.open()) {
                transactions.commit();
            }
            hatchery.committed();
        }
    }

    /**
     * Inside a rebalance no transaction could commit its offsets: the commands just polled are handed back (read
     * again once it is over) and the owned partitions wait, paused, while the next polls complete the rebalance.
     */
    private void waitOut(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
        consumer.pause(consumer.assignment());
    }

    private void resumeAfterRebalance() {
        Set<TopicPartition> paused = consumer.paused();
        if (!paused.isEmpty()) {
            consumer.resume(paused);
        }
    }

    /** Nothing uncommitted may survive a failed transaction: abort it, forget the pets, restore them from Kafka. */
    private void recover(KafkaException e) {
        status.ready = false;
        metrics.transactionFailed();
        LOG.warnf("a transaction failed, restoring the %d owned partitions from Kafka: %s", owned.count(), e.toString());
        transactions.abort(e);
        owned.clear();
        ticker.clear();
        hatchery.clear();
        snapshots.clear();
        restore(consumer.assignment());
    }

    /** Restores the pets and clocks of newly owned partitions and rewinds their commands to the committed offsets. */
    private void restore(Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        status.ready = false;
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
        PetStateRestore.Restored restored = restorer.restore(numbers, partitionCount, snapshotsFit);
        long count = 0;
        for (PetPartition partition : restored.pets().values()) {
            owned.restored(partition);
            transactions.covered(partition.partition(), restored.stateEnds().get(partition.partition()));
            snapshots.forget(partition.partition());
            hatchery.consider(partition);
            count += partition.size();
        }
        long nanos = System.nanoTime() - start;
        metrics.restored(nanos, count, restored.snapshotPets(), restored.stateRecords());
        LOG.infof("restored %d pets of partitions %s in %d ms: %d pets from the snapshots of %d partitions, then %d records of %s",
                count, restored.pets().keySet(), TimeUnit.NANOSECONDS.toMillis(nanos), restored.snapshotPets(),
                restored.fromSnapshots(), restored.stateRecords(), Topics.PET_STATE);
    }

    private void drop(Collection<TopicPartition> partitions, String why) {
        for (TopicPartition tp : partitions) {
            owned.drop(tp.partition());
            hatchery.forget(tp.partition());
            snapshots.forget(tp.partition());
        }
        if (!partitions.isEmpty()) {
            LOG.infof("partitions %s %s: their clocks stop here", numbers(partitions), why);
        }
    }

    /** Tells health checks and gauges how the owned partitions are doing. */
    private void observe() {
        long alive = 0;
        long all = 0;
        long bytes = 0;
        for (PetPartition partition : owned.all()) {
            alivePerPartition.set(partition.partition(), partition.aliveCount());
            alive += partition.aliveCount();
            all += partition.size();
            bytes += partition.heapBytes();
        }
        status.petsAlive = alive;
        status.pets = all;
        status.heapBytes = bytes;
        status.partitionsOwned = owned.count();
        metrics.ownedPartitions(owned.numbers(), alivePerPartition);
        // ready: joined, no rebalance under way, every assigned partition restored and seeded, and each has ticked since
        status.ready = joined && !rebalance.underWay() && !hatchery.hasWork() && owned.count() == consumer.assignment().size() && owned.allTicking();
    }

    /** Aborts what is open, and leaves the group so that others take over at once. */
    @Override
    public void close() {
        status.clear();
        if (alivePerPartition != null) {
            metrics.ownedPartitions(Set.of(), alivePerPartition);
        }
        if (transactions != null) {
            transactions.close();
        }
        owned.clear();
        restorer.close();
        try {
            // a static member stays in the group when it closes unless told
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (KafkaException e) {
            LOG.debugf("closing the consumer: %s", e);
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
