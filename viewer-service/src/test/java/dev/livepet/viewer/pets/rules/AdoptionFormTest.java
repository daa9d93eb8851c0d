package dev.livepet.viewer.pets.rules;

import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdoptionFormTest {
    private final NameRule rule = new NameRule(3, 100);

    @Test
    void aNamedPetOfAKnownSpeciesCanBeAdopted() {
        AdoptionForm form = new AdoptionForm("Shelly", "sea-turtle");
        assertThat(form.problems(rule)).isEmpty();
        assertThat(form.chosenSpecies()).contains(Species.SEA_TURTLE);
    }

    @Test
    void everyProblemIsOneSentence() {
        assertThat(new AdoptionForm("ab", "dragon").problems(rule)).containsExactly(
                "A pet's name must be 3 to 100 characters long.", "Choose one of the nine species.");
        assertThat(new AdoptionForm("Shelly", null).problems(rule)).containsExactly("Choose one of the nine species.");
        // the display name is not the id
        assertThat(new AdoptionForm("Shelly", "Sea turtle").problems(rule)).containsExactly("Choose one of the nine species.");
    }
}
