package dev.livepet.contract;

/** A meal from the owner or a treat from another player; {@code giver} is the giving player's id. */
public record FeedCommand(String commandId, long petId, Food food, String giver) implements PetCommand {
    public FeedCommand {
        PetCommand.require(commandId != null && !commandId.isBlank(), "feed needs a commandId");
        PetCommand.require(petId > 0, "feed needs a positive petId");
        PetCommand.require(food != null, "feed needs a food (meal or treat)");
    }
}
