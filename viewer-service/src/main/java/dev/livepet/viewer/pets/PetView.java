package dev.livepet.viewer.pets;

import dev.livepet.contract.PetState;
import dev.livepet.viewer.pets.rules.Hearts;
import dev.livepet.viewer.pets.rules.PetCondition;
import io.quarkus.qute.TemplateData;

/**
 * A pet as pages show it; {@code condition} names its picture (content, hungry, starving, dead); {@code version} and
 * {@code tick} say which state it is (its last event, its partition's tick).
 */
@TemplateData
public record PetView(long id, String name, String speciesId, String speciesName, int age, int hunger,
                      int maxHunger, int hearts, int maxHearts, boolean alive, long version, long tick,
                      String condition) {
    public static PetView of(PetState pet, Hearts hearts, PetCondition condition) {
        return new PetView(pet.id(), pet.name(), pet.species().id(), pet.species().displayName(), pet.age(),
                pet.hunger(), hearts.maxHunger(), hearts.of(pet.hunger()), hearts.max(), pet.alive(), pet.version(),
                pet.tick(), condition.id());
    }
}
