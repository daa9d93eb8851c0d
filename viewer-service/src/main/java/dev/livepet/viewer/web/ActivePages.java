package dev.livepet.viewer.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import java.util.List;

/** The Active Pets page and the panel the live socket pushes (templates/active/). */
@CheckedTemplate(basePath = "active")
public class ActivePages {
    public static native TemplateInstance page();

    /**
     * The panel's content, swapped in by its id. {@code page} is the pet whose page it is on (0: none),
     * {@code signedIn} whether the browser has a player who could give treats.
     */
    public static native TemplateInstance panel(List<ActivePetView> pets, boolean signedIn, String playerId,
                                                long page, int treatsLeft);
}
