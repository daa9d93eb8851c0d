package dev.livepet.contract;

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

    private Topics() {
    }

    /** Where poison records of {@code topic} go, as {@link DeadLetter}s. */
    public static String deadLetters(String topic) {
        return topic + ".dlq";
    }
}
