package dev.livepet.viewer.pages;

import dev.livepet.viewer.pages.rules.OutOfReach;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Optional;

/** Every failure a player can meet, as a page (or, for htmx, a sentence) that says what happened; never a trace. */
public class ProblemPages {
    private static final Logger LOG = Logger.getLogger(ProblemPages.class);
    private static final String HTML = MediaType.TEXT_HTML + ";charset=UTF-8";
    /** What a page that needs the pets' records says while PostgreSQL is away; the live pages go on meanwhile. */
    public static final String OUT_OF_REACH = "The world's records are out of reach for a moment. Your pets live on:"
            + " try this page again in a minute.";
    /**
     * What an action that sends a command says while the broker is away: unacknowledged is most likely not sent, but a
     * batch that timed out in flight may have reached the log, so it says "may".
     */
    public static final String POST_OUT_OF_REACH = "The world's post is out of reach for a moment: this may not have"
            + " gone through. Your pets live on: try again in a minute.";
    private static final int RETRY_AFTER_SECONDS = 30;

    @ServerExceptionMapper
    public Response petProblem(PetProblem problem, HttpHeaders headers) {
        return answer(problem.status(), problem.sentence(), headers);
    }

    @ServerExceptionMapper
    public Response webProblem(WebApplicationException problem, HttpHeaders headers) {
        int status = problem.getResponse().getStatus();
        if (status < 400) {
            return problem.getResponse();
        }
        return answer(status, sentenceFor(status), headers);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable failure, HttpHeaders headers) {
        Optional<OutOfReach.Part> away = OutOfReach.of(failure);
        if (away.isPresent()) {
            boolean post = away.get() == OutOfReach.Part.POST;
            LOG.warnf("a request found %s out of reach: %s", post ? "the broker" : "PostgreSQL", failure.toString());
            return Response.fromResponse(answer(503, post ? POST_OUT_OF_REACH : OUT_OF_REACH, headers))
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
        }
        LOG.errorf(failure, "a request failed");
        return answer(500, "Something went wrong on our side. Please try again in a moment.", headers);
    }

    private static Response answer(int status, String sentence, HttpHeaders headers) {
        boolean htmx = headers.getHeaderString("HX-Request") != null;
        String body = htmx
                ? Pages.note(sentence, true).render()
                : Pages.problem(status, titleFor(status), sentence).render();
        return Response.status(status).entity(body).type(HTML).build();
    }

    private static String titleFor(int status) {
        return switch (status) {
            case 400 -> "That did not work";
            case 403 -> "Not yours";
            case 404 -> "Not found";
            case 409 -> "Not now";
            case 429 -> "Slow down";
            case 503 -> "Back in a moment";
            default -> status < 500 ? "That did not work" : "Something went wrong";
        };
    }

    private static String sentenceFor(int status) {
        return switch (status) {
            case 404 -> "There is nothing at this address.";
            case 405 -> "This address does not take that kind of request.";
            case 406 -> "This address only answers with HTML pages.";
            case 415 -> "This address only takes forms.";
            default -> status < 500 ? "That request cannot be answered." : "Something went wrong on our side. Please try again in a moment.";
        };
    }
}
