package dev.livepet.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A pet's complete state as it holds at its partition's tick {@code tick}. On {@link Topics#PET_STATE}, keyed by the
 * pet id, each record is one of the pet's events (adopted, fed, treat, died); its state at any later tick follows from
 * the last event and that partition's {@link PartitionTick} by {@link TickRule#stateAt}. Every field but owner and
 * command is required: a missing age or alive would otherwise read as 0 or false.
 *
 * @param owner   the owning player's id, null for a pet the world seeded
 * @param version grows by one with every event of this pet (ticks do not change it)
 * @param cause   the event, or {@link Cause#TICK} for a state a reader derived
 * @param tick    the partition tick at which this state holds: the pet has aged through ticks 1..tick
 * @param at      when the event (or the tick) happened, epoch milliseconds
 * @param command the id of the command that caused this event, null for seeding and deaths
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PetState(@JsonProperty(required = true) long id, String owner,
                       @JsonProperty(required = true) String name, @JsonProperty(required = true) Species species,
                       @JsonProperty(required = true) int age, @JsonProperty(required = true) int hunger,
                       @JsonProperty(required = true) boolean alive, @JsonProperty(required = true) long version,
                       @JsonProperty(required = true) Cause cause, @JsonProperty(required = true) long tick,
                       @JsonProperty(required = true) long at, String command) implements PetStateRecord {
    public PetState {
        PetCommand.require(id > 0, "state needs a positive id");
        PetCommand.require(name != null, "state needs a name");
        PetCommand.require(species != null, "state needs a species");
        PetCommand.require(cause != null, "state needs a cause");
        PetCommand.require(version > 0, "state needs a positive version");
        PetCommand.require(tick >= 0, "state needs a tick of at least 0");
    }

    public String key() {
        return PetPartitioner.key(id);
    }
}
