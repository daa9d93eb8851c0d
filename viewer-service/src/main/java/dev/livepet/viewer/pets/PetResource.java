package dev.livepet.viewer.pets;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.viewer.pages.Flash;
import dev.livepet.viewer.pages.FormToken;
import dev.livepet.viewer.pages.Pages;
import dev.livepet.viewer.pages.PetProblem;
import dev.livepet.viewer.pets.rules.AdoptionForm;
import dev.livepet.viewer.pets.rules.PetId;
import dev.livepet.viewer.player.Player;
import dev.livepet.viewer.player.PlayerCookie;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Adopting a pet, a pet's page and feeding it. */
@Path("/pets")
@Produces(MediaType.TEXT_HTML)
public class PetResource {
    /** The header of a feed's or treat's answer that names the command sent to pet-commands. */
    public static final String COMMAND_HEADER = "LivePet-Command";
    private static final List<Species> SPECIES = List.of(Species.values());

    private final PetService pets;
    private final PlayerCookie players;
    private final PetCard cards;
    private final WorldConfig world;
    private final Flash flash;
    private final FormToken formToken;
    private final ActivePanelOnPetPage activePanels;

    public PetResource(PetService pets, PlayerCookie players, PetCard cards, WorldConfig world, Flash flash,
                       FormToken formToken, ActivePanelOnPetPage activePanels) {
        this.pets = pets;
        this.players = players;
        this.cards = cards;
        this.world = world;
        this.flash = flash;
        this.formToken = formToken;
        this.activePanels = activePanels;
    }

    /** My Pets: all the player's pets, alive and dead, newest first. */
    @GET
    public Uni<TemplateInstance> myPets() {
        return pets.ownedBy(players.current()).map(rows -> PetPages.myPets(rows.stream().map(cards::summary).toList()));
    }

    @GET
    @Path("new")
    public TemplateInstance adoptForm() {
        return adoptPage(UUID.randomUUID().toString(), "", null, List.of());
    }

    /** The name as the player types it (htmx): the problem with it, or nothing. */
    @GET
    @Path("new/name")
    public TemplateInstance nameCheck(@RestQuery String name) {
        return world.nameRule().problem(name).map(problem -> Pages.note(problem, true))
                .orElseGet(() -> Pages.note("", false));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> adopt(@RestForm String name, @RestForm String species,
                                                      @RestForm String commandId) {
        Player player = players.current();
        AdoptionForm form = new AdoptionForm(name, species);
        List<String> problems = new ArrayList<>(form.problems(world.nameRule()));
        // a form without a command id (not from our page) gets one; a mangled one is refused
        String command = commandId == null || commandId.isBlank() ? UUID.randomUUID().toString() : commandId;
        if (!isUuid(command)) {
            problems.add("This form is out of date. Please send it again.");
            command = UUID.randomUUID().toString();
        }
        if (!problems.isEmpty()) {
            return Uni.createFrom().item(RestResponse.status(Status.BAD_REQUEST,
                    adoptPage(command, name == null ? "" : name, species, problems)));
        }
        return pets.adopt(player, form, command).map(id -> {
            flash.info(world.nameRule().clean(name) + " is born! Feed it now and then.");
            return RestResponse.seeOther(URI.create("/pets/" + id));
        });
    }

    /**
     * The owner's living pet, live; someone else's living pet, a read-only card with the treat button; any dead pet,
     * read only; an unknown one (or another player's hatching egg) sends the player back to My Pets with a sentence.
     */
    @GET
    @Path("{id}")
    public Uni<RestResponse<TemplateInstance>> pet(@RestPath String id) {
        long petId = petId(id);
        Player player = players.current();
        FormToken.Field token = formToken.field();
        return pets.find(petId).flatMap(found -> {
            if (found.isPresent()) {
                PetState pet = found.get();
                return switch (cards.access(pet, player)) {
                    case OWNER -> activePanel(player, petId, token).map(panel -> RestResponse.ok(PetPages.pet(petId,
                            cards.view(pet), cards.canFeed(pet, Optional.of(player)), null, token, panel, null)));
                    case MEMORIAL -> Uni.createFrom().item(RestResponse.ok(PetPages.pet(petId, cards.view(pet),
                            false, null, token, null, null)));
                    case VISITOR -> activePanels.treatsLeft(player).map(left -> RestResponse.ok(PetPages.pet(petId,
                            cards.view(pet), false, null, token, null, new PetVisit(left))));
                };
            }
            Optional<AdoptCommand> hatching = pets.hatching(petId);
            if (hatching.isPresent() && hatching.get().owner().equals(player.id())) {
                return activePanel(player, petId, token).map(panel -> RestResponse.ok(PetPages.pet(petId, null, false,
                        Hatchling.of(hatching.get()), token, panel, null)));
            }
            return Uni.createFrom().item(backToMyPets(hatching.isPresent() ? PetService.NOT_YOURS : PetService.NOT_FOUND));
        });
    }

    /**
     * The owner's meal. From htmx the answer is a sentence to show; from a plain form, back to the pet. Either names
     * the command sent in {@link #COMMAND_HEADER}, so a client can find its meal among the pet's events.
     */
    @POST
    @Path("{id}/feed")
    public Uni<RestResponse<TemplateInstance>> feed(@RestPath String id, @RestHeader("HX-Request") String htmx) {
        long petId = petId(id);
        return pets.feedMeal(players.current(), petId).map(sent -> {
            String sentence = "A meal is on its way to " + sent.pet().name() + ".";
            if (htmx != null) {
                return RestResponse.ResponseBuilder.ok(Pages.note(sentence, false))
                        .header(COMMAND_HEADER, sent.commandId()).build();
            }
            flash.info(sentence);
            return RestResponse.ResponseBuilder.<TemplateInstance>seeOther(URI.create("/pets/" + petId))
                    .header(COMMAND_HEADER, sent.commandId()).build();
        });
    }

    // the Active Pets panel as the page first shows it; without it (PostgreSQL slow to answer) the socket fills it
    private Uni<String> activePanel(Player player, long petId, FormToken.Field token) {
        return activePanels.render(player, petId, token).onFailure().recoverWithNull();
    }

    private RestResponse<TemplateInstance> backToMyPets(String sentence) {
        flash.problem(sentence);
        return RestResponse.seeOther(URI.create("/pets"));
    }

    private TemplateInstance adoptPage(String commandId, String name, String species, List<String> problems) {
        return PetPages.adopt(commandId, name, species, SPECIES, world.nameMinLength(), world.nameMaxLength(),
                problems);
    }

    /** The pet id in a path, or a 400 that says it is none. */
    public static long petId(String id) {
        return PetId.parse(id).orElseThrow(() -> PetProblem.badRequest(
                "“" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "” is not a pet id."));
    }

    private static boolean isUuid(String text) {
        try {
            return text.length() == 36 && UUID.fromString(text).toString().equals(text.toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
