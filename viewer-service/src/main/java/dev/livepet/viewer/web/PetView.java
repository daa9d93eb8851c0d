package dev.livepet.viewer.web;

import dev.livepet.contract.PetState;
import dev.livepet.viewer.domain.Hearts;
import io.quarkus.qute.TemplateData;

/** A pet as pages show it. */
@TemplateData
public record PetView(long id, String name, String speciesId, String speciesName, int age, int hunger,
                      int maxHunger, int hearts, int maxHearts, boolean alive, long version) {
    public static PetView of(PetState pet, Hearts hearts) {
        return new PetView(pet.id(), pet.name(), pet.species().id(), pet.species().displayName(), pet.age(),
                pet.hunger(), hearts.maxHunger(), hearts.of(pet.hunger()), hearts.max(), pet.alive(), pet.version());
    }
}
