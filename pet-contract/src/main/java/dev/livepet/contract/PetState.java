package dev.livepet.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A pet's complete snapshot after one change, on {@link Topics#PET_STATE} keyed by the pet id.
 * A consumer never needs another source to render a pet. Every field but owner and command is required: a missing
 * age or alive would otherwise read as 0 or false, and the pet would be stored younger, or dead.
 *
 * @param owner   the owning player's id, null for a pet the world seeded
 * @param version grows by one with every change of this pet
 * @param at      when the change happened, epoch milliseconds
 * @param command the id of the command that caused this change, null for ticks and deaths
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PetState(@JsonProperty(required = true) long id, String owner,
                       @JsonProperty(required = true) String name, @JsonProperty(required = true) Species species,
                       @JsonProperty(required = true) int age, @JsonProperty(required = true) int hunger,
                       @JsonProperty(required = true) boolean alive, @JsonProperty(required = true) long version,
                       @JsonProperty(required = true) Cause cause, @JsonProperty(required = true) long at,
                       String command) {
    public PetState {
        PetCommand.require(id > 0, "state needs a positive id");
        PetCommand.require(name != null, "state needs a name");
        PetCommand.require(species != null, "state needs a species");
        PetCommand.require(cause != null, "state needs a cause");
        PetCommand.require(version > 0, "state needs a positive version");
    }

    public String key() {
        return PetPartitioner.key(id);
    }
}
