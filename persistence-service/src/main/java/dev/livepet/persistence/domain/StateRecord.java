package dev.livepet.persistence.domain;

import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.Topics;

/**
 * One record of {@code pet-state} as it arrived, before anyone trusted it.
 *
 * @param key       the record key as sent: a pet id in decimal or {@code tick-<partition>} (may be anything on a
 *                  broken record); bytes, so that a dead letter keeps it unchanged
 * @param value     the JSON event or tick (may be null or garbage on a broken record)
 * @param partition where it came from: where it must belong, and what a dead letter says
 * @param offset    where it came from, so that a dead letter can say so
 */
public record StateRecord(byte[] key, byte[] value, int partition, long offset) {
    /** This record as one that can never be persisted, and why: it goes to {@code pet-state.dlq}, consumption goes on. */
    public DeadLetter refused(String reason) {
        return new DeadLetter(Topics.PET_STATE, partition, offset, key, value, reason);
    }
}
