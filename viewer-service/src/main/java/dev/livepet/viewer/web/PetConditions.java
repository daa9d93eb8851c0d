package dev.livepet.viewer.web;

import dev.livepet.viewer.config.ConditionConfig;
import dev.livepet.viewer.domain.ConditionRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * A pet's condition for its picture, for templates: {@code {#petPicture species=pet.speciesId
 * condition=cdi:petConditions.of(pet) /}}.
 */
@ApplicationScoped
@Named("petConditions")
public class PetConditions {
    private final ConditionRule rule;

    public PetConditions(ConditionConfig config) {
        this.rule = config.rule();
    }

    public String of(PetView pet) {
        return rule.of(pet.hunger(), pet.alive()).id();
    }
}
