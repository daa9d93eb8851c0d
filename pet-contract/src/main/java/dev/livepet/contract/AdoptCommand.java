package dev.livepet.contract;

/** A player takes a new pet into the world; {@code owner} is the player's id. */
public record AdoptCommand(String commandId, long petId, String owner, String name, Species species)
        implements PetCommand {
    public AdoptCommand {
        PetCommand.require(commandId != null && !commandId.isBlank(), "adopt needs a commandId");
        PetCommand.require(petId > 0, "adopt needs a positive petId");
        PetCommand.require(name != null && !name.isBlank(), "adopt needs a name");
        PetCommand.require(species != null, "adopt needs a species");
    }
}
