package dev.livepet.viewer.pets;

import dev.livepet.contract.AdoptCommand;
import io.quarkus.qute.TemplateData;

/** A pet adopted moments ago whose first state has not arrived yet. */
@TemplateData
public record Hatchling(long id, String name, String speciesId, String speciesName) {
    public static Hatchling of(AdoptCommand adoption) {
        return new Hatchling(adoption.petId(), adoption.name(), adoption.species().id(),
                adoption.species().displayName());
    }
}
