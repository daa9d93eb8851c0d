package dev.livepet.viewer.pets;

import dev.livepet.contract.Species;
import dev.livepet.viewer.pages.FormToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import java.util.List;

/** The pages and fragments of pets, checked against their templates at build time. */
@CheckedTemplate
public class PetPages {
    /** My Pets: every pet of the player, alive and dead, newest first. */
    public static native TemplateInstance myPets(List<PetSummary> pets);

    public static native TemplateInstance adopt(String commandId, String name, String chosenSpecies,
                                                List<Species> species, int nameMinLength, int nameMaxLength,
                                                List<String> problems);

    /**
     * {@code token}: the page's form token; {@code activePanel}: the Active Pets panel as rendered now, or null;
     * {@code visit}: another player's visit to a living pet (a read-only card with the treat button), or null.
     */
    public static native TemplateInstance pet(long id, PetView pet, boolean canFeed, Hatchling hatchling,
                                              FormToken.Field token, String activePanel, PetVisit visit);

    /** The live part of a pet page; the WebSocket pushes it (no token) and htmx swaps it in by its id. */
    public static native TemplateInstance pet$card(PetView pet, boolean canFeed, FormToken.Field token);

    /** What a live part shows instead of someone else's living pet (a visitor's card is not live). */
    public static native TemplateInstance pet$refused();
}
