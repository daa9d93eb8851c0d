package dev.livepet.simulator.kafka;

import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.simulator.domain.CommandOutcome;
import dev.livepet.simulator.domain.PetChangeSink;
import dev.livepet.simulator.domain.PetPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Takes a poll of {@code pet-commands}: reads each command, checks that it is where its pet lives, applies it to the
 * pet at its partition's current tick and hands the events to the transaction; a record that is no command, or a
 * command the rules refuse, becomes a dead letter with the reason.
 */
final class CommandIntake {
    private static final Logger LOG = Logger.getLogger(CommandIntake.class);

    private final OwnedPartitions owned;
    private final TransactionDriver transactions;
    private final int partitionCount;
    private final PetChangeSink publish;
    private final CommandTracing tracing;

    CommandIntake(OwnedPartitions owned, TransactionDriver transactions, int partitionCount, CommandTracing tracing) {
        this.owned = owned;
        this.transactions = transactions;
        this.partitionCount = partitionCount;
        this.publish = transactions::publish;
        this.tracing = tracing;
    }

    /** Applies every record of the poll; the caller commits them with their offsets. */
    void apply(ConsumerRecords<byte[], byte[]> records) {
        long at = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            apply(record, at);
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
            command = read(record);
        } catch (PoisonRecordException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        CommandTracing.Applying traced = tracing.start(record, command);
        if (traced == null) {
            applied(record, command, partition.apply(command, at, publish));
            return;
        }
        try (traced) {
            // the events of a traced command carry its span's context, so that their readers continue the trace
            CommandOutcome outcome = partition.apply(command, at,
                    (p, event) -> transactions.publish(p, event, traced.headers()));
            traced.outcome(outcome.kind().name().toLowerCase(Locale.ROOT), outcome.isRefused());
            applied(record, command, outcome);
        }
    }

    private void applied(ConsumerRecord<byte[], byte[]> record, PetCommand command, CommandOutcome outcome) {
        if (outcome.isRefused()) {
            deadLetter(record, outcome.reason());
        } else if (outcome.kind() != CommandOutcome.Kind.APPLIED) {
            LOG.debugf("command %s for pet %d: %s", command.commandId(), command.petId(), outcome.kind());
        }
    }

    private PetCommand read(ConsumerRecord<byte[], byte[]> record) {
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

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        transactions.deadLetter(record, reason);
        LOG.infof("command %s-%d@%d refused: %s", record.topic(), record.partition(), record.offset(), reason);
    }
}
