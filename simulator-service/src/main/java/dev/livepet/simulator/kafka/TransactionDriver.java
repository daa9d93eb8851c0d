package dev.livepet.simulator.kafka;

import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Topics;
import dev.livepet.simulator.domain.SnapshotChunks;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The simulator's transactions: one transactional producer, a transaction begun by the first record sent, and a commit
 * that always carries the command offsets that moved (at least one) with the group's metadata, so an instance that lost
 * its partitions (a zombie) can never commit. Counts what each transaction holds and reports it once committed.
 * Only the loop thread calls it, and never while {@code poll} runs: no transaction is open during a rebalance.
 */
final class TransactionDriver implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TransactionDriver.class);

    private final KafkaClients clients;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SimulatorMetrics metrics;
    private final Callback stateWritten = this::stateWritten;
    // per partition: the state-topic offset after our last acknowledged record, written by the producer's thread
    private final AtomicLongArray covered;
    // per partition: pet events sent (not ticks), so a partition whose pets did not change is not snapshotted again
    private final long[] eventsSent;
    // per command partition: the position last committed with a transaction, so a commit carries only what moved
    private final Map<TopicPartition, Long> committedPositions = new HashMap<>();
    private KafkaProducer<byte[], byte[]> producer;
    private boolean open;
    private int states;
    private int deadLetters;
    private int snapshots;
    private long snapshotBytes;

    /** Starts the producer: fences a predecessor with the same transactional id and aborts its open transaction. */
    TransactionDriver(KafkaClients clients, KafkaConsumer<byte[], byte[]> consumer, int partitionCount,
                      SimulatorMetrics metrics) {
        this.clients = clients;
        this.consumer = consumer;
        this.metrics = metrics;
        this.covered = new AtomicLongArray(partitionCount);
        this.eventsSent = new long[partitionCount];
        this.producer = clients.producer();
        producer.initTransactions();
    }

    /** A pet's event on the state topic, in its partition. */
    void publish(int partition, PetState event) {
        publish(partition, event, null);
    }

    /** A pet's event on the state topic, in its partition, with headers (a traced command's context), or none. */
    void publish(int partition, PetState event, Headers headers) {
        send(new ProducerRecord<>(Topics.PET_STATE, partition, null, PetStateCodec.key(event.id()),
                PetStateCodec.write(event), headers));
        eventsSent[partition]++;
    }

    /** A partition's tick on the state topic. */
    void publish(PartitionTick tick) {
        send(new ProducerRecord<>(Topics.PET_STATE, tick.partition(), PetStateCodec.tickKey(tick.partition()),
                PetStateCodec.write(tick)));
    }

    /** A command that cannot be applied, with the reason and where it was. */
    void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        begin();
        // the contract cuts key and value: a letter too large for the broker would fail the transaction again and again
        producer.send(new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                reason).toRecord());
        deadLetters++;
    }

    /** One snapshot of a partition, all its chunks. */
    void snapshot(int partition, List<SnapshotChunks.Chunk> chunks, long bytes) {
        begin();
        for (SnapshotChunks.Chunk chunk : chunks) {
            producer.send(new ProducerRecord<>(Topics.PET_SNAPSHOTS, partition, chunk.key(), chunk.value()));
        }
        snapshots++;
        snapshotBytes += bytes;
    }

    /** Commits what was sent together with the command offsets that moved; begins one if none is open. */
    void commit() {
        begin();
        long start = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp);
            if (!Long.valueOf(position).equals(committedPositions.get(tp))) {
                offsets.put(tp, new OffsetAndMetadata(position));
            }
        }
        // never none: the group generation in the metadata, checked with every offset commit, fences an instance
        // that lost its partitions; only the moved offsets otherwise (240 partitions would be 240 offsets per commit)
        if (offsets.isEmpty() && !consumer.assignment().isEmpty()) {
            TopicPartition any = consumer.assignment().iterator().next();
            offsets.put(any, new OffsetAndMetadata(consumer.position(any)));
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        offsets.forEach((tp, offset) -> committedPositions.put(tp, offset.offset()));
        metrics.commitDuration(System.nanoTime() - start);
        open = false;
        metrics.committed(states, deadLetters);
        metrics.snapshotsCommitted(snapshots, snapshotBytes);
        forgetCounts();
    }

    /** Throws away what is open after {@code failure}; a producer that cannot go on is replaced. */
    void abort(KafkaException failure) {
        if (producerIsBroken(failure)) {
            renewProducer();
        } else if (open) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                renewProducer();
            }
        }
        open = false;
        committedPositions.clear();
        forgetCounts();
    }

    boolean open() {
        return open;
    }

    /** The state-topic offset after the last record of ours the broker acknowledged in {@code partition}. */
    long covered(int partition) {
        return covered.get(partition);
    }

    /** How many pet events (not ticks) were sent to {@code partition} in this membership, committed or not. */
    long eventsSent(int partition) {
        return eventsSent[partition];
    }

    /** Where a partition's restored pets end on the state topic, before we write to it. */
    void covered(int partition, long offset) {
        covered.set(partition, offset);
    }

    @Override
    public void close() {
        if (open) {
            try {
                producer.abortTransaction();
            } catch (KafkaException e) {
                LOG.debugf("aborting the open transaction on the way out: %s", e);
            }
            open = false;
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (KafkaException e) {
            LOG.debugf("closing the producer: %s", e);
        }
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        begin();
        producer.send(record, stateWritten);
        states++;
    }

    private void begin() {
        if (!open) {
            producer.beginTransaction();
            open = true;
        }
    }

    /** The one place the counts of a transaction start over: after a commit and after an abort. */
    private void forgetCounts() {
        states = 0;
        deadLetters = 0;
        snapshots = 0;
        snapshotBytes = 0;
    }

    /** Runs on the producer's thread; a transaction's callbacks have all run when its commit returns. */
    private void stateWritten(RecordMetadata written, Exception failed) {
        if (failed == null && written.partition() < covered.length()) {
            covered.accumulateAndGet(written.partition(), written.offset() + 1, Math::max);
        }
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
}
