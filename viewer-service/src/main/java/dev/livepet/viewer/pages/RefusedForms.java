package dev.livepet.viewer.pages;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Set;

/**
 * quarkus-rest-csrf refuses a form without a valid token with a bare 400; the player gets a sentence instead
 * (an old tab, an expired token cookie, or a form that is not ours).
 */
public class RefusedForms {
    static final String SENTENCE = "This form has expired or did not come from LivePet. Please reload the page and try again.";
    private static final Set<String> CHANGES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    @ServerResponseFilter
    public void explain(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() != 400 || response.hasEntity() || !CHANGES.contains(request.getMethod())) {
            return;
        }
        boolean htmx = request.getHeaderString("HX-Request") != null;
        String body = htmx ? Pages.note(SENTENCE, true).render()
                : Pages.problem(400, "That did not work", SENTENCE).render();
        response.setEntity(body, null, MediaType.valueOf(MediaType.TEXT_HTML + ";charset=UTF-8"));
    }
}
