package dev.livepet.persistence.domain;

/**
 * One record of {@code pet-state} as it arrived, before anyone trusted it.
 *
 * @param key       the record key, a pet id in decimal (may be null on a broken record)
 * @param value     the JSON snapshot (may be null or garbage on a broken record)
 * @param partition where it came from, so that a dead letter can say so
 * @param offset    where it came from, so that a dead letter can say so
 */
public record StateRecord(String key, byte[] value, int partition, long offset) {
}
