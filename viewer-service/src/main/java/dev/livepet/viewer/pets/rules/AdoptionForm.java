package dev.livepet.viewer.pets.rules;

import dev.livepet.contract.Species;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a player filled in to adopt a pet, exactly as typed. */
public record AdoptionForm(String name, String species) {
    public static final String SPECIES_PROBLEM = "Choose one of the nine species.";

    /** What is wrong with the form, one sentence per problem; empty when a pet can be adopted with it. */
    public List<String> problems(NameRule rule) {
        List<String> problems = new ArrayList<>(2);
        rule.problem(name).ifPresent(problems::add);
        if (chosenSpecies().isEmpty()) {
            problems.add(SPECIES_PROBLEM);
        }
        return problems;
    }

    public Optional<Species> chosenSpecies() {
        return species == null ? Optional.empty() : Species.find(species);
    }
}
