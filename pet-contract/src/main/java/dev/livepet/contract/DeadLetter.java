package dev.livepet.contract;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record that can never be handled, where it was and why. Every service that dead-letters writes {@link #toRecord()}
 * to {@code <topic>.dlq}, so that the letters of every topic look alike whoever sent them.
 *
 * @param topic     where the record was
 * @param partition where the record was
 * @param offset    where the record was
 * @param key       the record's key as it came (may be null or anything)
 * @param value     the record's value as it came (may be null or anything)
 * @param reason    why it can never be handled, for a person reading the letter
 */
public record DeadLetter(String topic, int partition, long offset, byte[] key, byte[] value, String reason) {
    /** Header on a dead-letter record that says why it was refused. */
    public static final String REASON_HEADER = "livepet-dlq-reason";
    /** Header on a dead-letter record that says where the record was: {@code <topic>-<partition>@<offset>}. */
    public static final String ORIGIN_HEADER = "livepet-dlq-origin";
    /**
     * A dead letter keeps at most this much of a record's key and of its value: a record as large as the broker
     * takes would not fit with the reason added, and a refused letter would stop its sender for good.
     */
    public static final int MAX_BYTES = PetJson.MAX_RECORD_BYTES;

    /** The record for {@link Topics#deadLetters(String) the topic's dead letters}: key and value cut, both headers. */
    public ProducerRecord<byte[], byte[]> toRecord() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN_HEADER, origin().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.deadLetters(topic), null, kept(key), kept(value), headers);
    }

    /** Where the record was, as {@link #ORIGIN_HEADER} says it. */
    public String origin() {
        return topic + "-" + partition + "@" + offset;
    }

    /** The start of the key as text, for a log line: a key may be a megabyte of anything. */
    public String keyExcerpt() {
        return key == null ? null : PoisonRecordException.excerpt(new String(key, StandardCharsets.UTF_8));
    }

    /** What a dead letter keeps of a record's key or value: all of it, or its first {@link #MAX_BYTES}. */
    public static byte[] kept(byte[] bytes) {
        return bytes == null || bytes.length <= MAX_BYTES ? bytes : Arrays.copyOf(bytes, MAX_BYTES);
    }
}
