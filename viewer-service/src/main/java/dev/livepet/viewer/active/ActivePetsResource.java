package dev.livepet.viewer.active;

import dev.livepet.viewer.pages.Flash;
import dev.livepet.viewer.pages.FormToken;
import dev.livepet.viewer.pages.Pages;
import dev.livepet.viewer.pets.PetResource;
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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.OptionalLong;

/** The Active Pets page and giving a treat. */
@Path("/pets")
@Produces(MediaType.TEXT_HTML)
public class ActivePetsResource {
    private final TreatService treats;
    private final PlayerCookie players;
    private final ActiveAudience audience;
    private final FormToken formToken;
    private final Flash flash;

    public ActivePetsResource(TreatService treats, PlayerCookie players, ActiveAudience audience, FormToken formToken,
                              Flash flash) {
        this.treats = treats;
        this.players = players;
        this.audience = audience;
        this.formToken = formToken;
        this.flash = flash;
    }

    /** The page shows who is around as it is rendered (so that it works without JavaScript); the socket keeps it live. */
    @GET
    @Path("active")
    public Uni<TemplateInstance> active() {
        Player player = players.current();
        FormToken.Field token = formToken.field();
        return treats.purse(player).map(purse -> audience.panel(player.id(), OptionalLong.empty(), purse, token))
                .onFailure().recoverWithNull()
                .map(ActivePages::page);
    }

    /**
     * One treat from the giver's purse to pet {@code id}; {@code page} is the pet whose page the giver is on.
     * From htmx the answer is a sentence; from a plain form, back to where the giver was; either names the command
     * sent in {@link PetResource#COMMAND_HEADER}.
     */
    @POST
    @Path("{id}/treat")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> treat(@RestPath String id, @RestForm String page,
                                                     @RestHeader("HX-Request") String htmx) {
        long petId = PetResource.petId(id);
        OptionalLong onPage = page == null || page.isBlank() || page.equals("0") ? OptionalLong.empty() : OptionalLong.of(PetResource.petId(page));
        return treats.give(players.current(), petId, onPage).map(given -> {
            String sentence = "A treat is on its way to " + given.pet().name() + ". " + given.purse().treats() + " left.";
            if (htmx != null) {
                return RestResponse.ResponseBuilder.ok(Pages.note(sentence, false))
                        .header(PetResource.COMMAND_HEADER, given.commandId()).build();
            }
            flash.info(sentence);
            URI back = URI.create(onPage.isPresent() ? "/pets/" + onPage.getAsLong() : "/pets/active");
            return RestResponse.ResponseBuilder.<TemplateInstance>seeOther(back)
                    .header(PetResource.COMMAND_HEADER, given.commandId()).build();
        });
    }
}
