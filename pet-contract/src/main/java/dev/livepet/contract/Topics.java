package dev.livepet.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The topics the services share (docs/architecture.md, "Contracts"). */
public final class Topics {
    /** Commands from players: key = pet id, value = {@link PetCommand} JSON. */
    public static final String PET_COMMANDS = "pet-commands";
    /**
     * Pets' events and partitions' ticks, compacted, read and written through {@link PetStateCodec}: key = pet id,
     * value = {@link PetState} JSON; or key = {@code tick-<partition>}, value = {@link PartitionTick} JSON.
     */
    public static final String PET_STATE = "pet-state";
    /**
     * The simulator's own periodic partition snapshots, compacted: partition p of it holds snapshots of the pets of
     * pet-state partition p (binary, chunked, key {@code <partition>/<chunk>}), each with the pet-state offset it
     * covers, so that a restore reads one snapshot and the events and ticks after it instead of the whole history.
     * Same partition count as the pet topics.
     */
    public static final String PET_SNAPSHOTS = "pet-snapshots";
    /** Both topics have this many partitions unless configured otherwise. */
    public static final int DEFAULT_PARTITIONS = 240;
    /** Header on a dead-letter record that says why it was refused. */
    public static final String DLQ_REASON_HEADER = "livepet-dlq-reason";
    /** Header on a dead-letter record that says where the record was: {@code <topic>-<partition>@<offset>}. */
    public static final String DLQ_ORIGIN_HEADER = "livepet-dlq-origin";
    /**
     * A dead letter keeps at most this much of a record's key and of its value: a record as large as the broker
     * takes would not fit with the reason added, and a refused letter would stop its consumer for good.
     */
    public static final int DEAD_LETTER_MAX_BYTES = PetJson.MAX_RECORD_BYTES;

    private Topics() {
    }

    /** Where poison records of {@code topic} go, with the reason in {@link #DLQ_REASON_HEADER}. */
    public static String deadLetters(String topic) {
        return topic + ".dlq";
    }

    /** The value of {@link #DLQ_ORIGIN_HEADER} for a record at this place. */
    public static byte[] deadLetterOrigin(String topic, int partition, long offset) {
        return (topic + "-" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8);
    }

    /** What a dead letter keeps of a record's key or value: all of it, or its first {@link #DEAD_LETTER_MAX_BYTES}. */
    public static byte[] keptInDeadLetter(byte[] bytes) {
        return bytes == null || bytes.length <= DEAD_LETTER_MAX_BYTES ? bytes : Arrays.copyOf(bytes, DEAD_LETTER_MAX_BYTES);
    }

    /** What a dead letter keeps of a key read as text: all of it, or its first {@link #DEAD_LETTER_MAX_BYTES} characters. */
    public static String keptInDeadLetter(String key) {
        return key == null || key.length() <= DEAD_LETTER_MAX_BYTES ? key : key.substring(0, DEAD_LETTER_MAX_BYTES);
    }
}
