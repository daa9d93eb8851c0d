package dev.livepet.viewer.pets;

import io.quarkus.qute.TemplateData;

/** A pet's card on My Pets: picture, name, alive or dead, birthday. */
@TemplateData
public record PetSummary(long id, String name, String speciesId, String speciesName, boolean alive, String condition,
                         String birthday) {
}
