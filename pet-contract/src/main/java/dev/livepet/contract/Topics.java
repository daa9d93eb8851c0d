package dev.livepet.contract;

/** The topics the services share (DESIGN.md §2). */
public final class Topics {
    /** Commands from players: key = pet id, value = {@link PetCommand} JSON. */
    public static final String PET_COMMANDS = "pet-commands";
    /** Complete pet snapshots after every change, compacted: key = pet id, value = {@link PetState} JSON. */
    public static final String PET_STATE = "pet-state";
    /**
     * The simulator's own periodic partition snapshots, compacted: partition p of it holds snapshots of the pets of
     * pet-state partition p (binary, chunked, key {@code <partition>/<chunk>}), each with the pet-state offset it
     * covers, so that a restore reads one snapshot and the states after it instead of the whole history.
     * Same partition count as the pet topics.
     */
    public static final String PET_SNAPSHOTS = "pet-snapshots";
    /** Both topics have this many partitions unless configured otherwise. */
    public static final int DEFAULT_PARTITIONS = 24;
    /** Header on a dead-letter record that says why it was refused. */
    public static final String DLQ_REASON_HEADER = "livepet-dlq-reason";

    private Topics() {
    }

    /** Where poison records of {@code topic} go, with the reason in {@link #DLQ_REASON_HEADER}. */
    public static String deadLetters(String topic) {
        return topic + ".dlq";
    }
}
