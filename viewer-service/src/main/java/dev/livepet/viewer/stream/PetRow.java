package dev.livepet.viewer.stream;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;

import java.time.Instant;

/**
 * A pet as the read model {@code pets_now} has it (the persistence service's view, never written here): its last
 * event brought to its partition's current tick.
 *
 * @param tick      the partition tick at which this state holds
 * @param changedAt when its last event happened
 */
public record PetRow(long id, String owner, String name, String species, int age, int hunger, boolean alive,
                     long version, String cause, long tick, Instant changedAt, Instant bornAt) {

    /** The row as the stream's form, so that pages and fragments render one kind of thing. */
    public PetState toState() {
        return new PetState(id, owner, name, Species.of(species), age, hunger, alive, version, Cause.of(cause), tick,
                changedAt.toEpochMilli(), null);
    }
}
