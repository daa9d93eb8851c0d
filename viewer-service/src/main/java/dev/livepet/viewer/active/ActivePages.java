package dev.livepet.viewer.active;

import dev.livepet.viewer.pages.FormToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import java.util.List;

/** The Active Pets page and the panel the live socket pushes (templates/active/). */
@CheckedTemplate(basePath = "active")
public class ActivePages {
    /** {@code panel}: the panel's content as rendered now (see {@link #panel}), or null. */
    public static native TemplateInstance page(String panel);

    /**
     * The panel's content, swapped in by its id. {@code page} is the pet whose page it is on (0: none).
     * Pushed over the socket, it has no request and so no CSRF token ({@code token} null): the treat posts through
     * htmx, whose header (the layout's hx-headers) carries the token. Rendered into a page, its forms carry the page's.
     */
    public static native TemplateInstance panel(List<ActivePetView> pets, String playerId,
                                                long page, int treatsLeft, FormToken.Field token);
}
