package dev.livepet.viewer.active.rules;

/** A live pet whose owner is looking at it right now, somewhere. */
public record ActivePet(long id, String owner, String name, String species, int hunger) {
}
