package dev.livepet.viewer.pets;

/** Another player's visit to a living pet's page: how many treats the visitor has left to give it. */
public record PetVisit(int treatsLeft) {
}
