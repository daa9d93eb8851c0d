package dev.livepet.contract;

/** The topics the services share (DESIGN.md §2). */
public final class Topics {
    /** Commands from players: key = pet id, value = {@link PetCommand} JSON. */
    public static final String PET_COMMANDS = "pet-commands";
    /** Complete pet snapshots after every change, compacted: key = pet id, value = {@link PetState} JSON. */
    public static final String PET_STATE = "pet-state";
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
