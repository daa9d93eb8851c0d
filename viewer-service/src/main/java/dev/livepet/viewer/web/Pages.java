package dev.livepet.viewer.web;

import dev.livepet.contract.Species;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import java.util.List;

/** The viewer's pages and fragments, checked against their templates at build time. */
@CheckedTemplate
public class Pages {
    /** My Pets: every pet of the player, alive and dead, newest first. */
    public static native TemplateInstance myPets(List<PetSummary> pets);

    public static native TemplateInstance adopt(String commandId, String name, String chosenSpecies,
                                                List<Species> species, int nameMinLength, int nameMaxLength,
                                                List<String> problems);

    public static native TemplateInstance pet(long id, PetView pet, boolean canFeed, Hatchling hatchling);

    /** The live part of a pet page; the WebSocket pushes it and htmx swaps it in by its id. */
    public static native TemplateInstance pet$card(PetView pet, boolean canFeed);

    /** What a live part shows instead of someone else's living pet. */
    public static native TemplateInstance pet$refused();

    public static native TemplateInstance problem(int status, String title, String sentence);

    /** A one-sentence answer to an htmx request. */
    public static native TemplateInstance note(String sentence, boolean problem);
}
