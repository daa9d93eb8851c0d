package dev.livepet.contract;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A player's wish for one pet, on {@link Topics#PET_COMMANDS} keyed by the pet id.
 * Every command carries a unique id so that a retry is applied once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AdoptCommand.class, name = "adopt"),
        @JsonSubTypes.Type(value = FeedCommand.class, name = "feed")
})
public sealed interface PetCommand permits AdoptCommand, FeedCommand {
    String commandId();

    long petId();

    static void require(boolean condition, String reason) {
        if (!condition) {
            throw new IllegalArgumentException(reason);
        }
    }
}
