package dev.livepet.viewer.pages;

import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.pages.rules.FormContentType;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Request bodies at the HTTP layer, before form authentication and the resources read them: only url-encoded forms
 * of a sane size with well-formed escapes are taken (a 4xx otherwise), and a refusal from further down (a field over
 * the size limit) gets a sentence instead of the framework's error page. Plain text: no page template is rendered
 * outside a request.
 */
@ApplicationScoped
public class FormBodies {
    static final String ONLY_FORMS = "This address only takes forms sent from LivePet's pages.";
    static final String TOO_LARGE =
            "That form is far larger than any of LivePet's forms. Please send it again from the page.";
    static final String UNREADABLE = "That form could not be read. Please send it again from the page.";
    private static final Logger LOG = Logger.getLogger(FormBodies.class);

    private final String postLocation;
    private final long maxFormBytes;

    public FormBodies(@ConfigProperty(name = "quarkus.http.auth.form.post-location") String postLocation,
                      ViewerConfig config) {
        this.postLocation = postLocation;
        this.maxFormBytes = config.maxFormBytes();
    }

    // before LoginGate and authentication; the login post is read by form authentication, only its type is checked
    void register(@Observes Filters filters) {
        filters.register(this::onlyForms, SecurityHandlerPriorities.AUTHENTICATION + 100);
    }

    // first of the failure handlers, ahead of Quarkus's own error page
    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::explain);
    }

    private void onlyForms(RoutingContext ctx) {
        // whatever the method: a GET that says multipart is read as multipart too
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        boolean login = postLocation.equals(ctx.normalizedPath());
        if (type == null && !login) {
            ctx.next();
        } else if (type == null || !FormContentType.accepted(type)) {
            // form authentication fails with an exception on a login post without a form's Content-Type
            refuse(ctx, 415, ONLY_FORMS);
        } else if (length(ctx) > maxFormBytes) {
            refuse(ctx, 413, TOO_LARGE);
        } else if (login || ctx.request().version() == HttpVersion.HTTP_2) {
            // an HTTP/2 request read to its end cannot be paused again, which RESTEasy Reactive does: left to it
            ctx.next();
        } else {
            // read here and handed on whole: RESTEasy Reactive's parser, reading a body as it streams in, fails on a
            // broken percent escape outside any handler, and that request never gets an answer
            readBounded(ctx);
        }
    }

    /**
     * Reads a form body up to the form limit, whether or not it said its length: one sent in chunks that grows past
     * the limit is answered 413 at once and its connection closed soon after ({@link RefusedBody}), so no body is
     * ever held beyond the limit.
     */
    private void readBounded(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        // the request's handlers all run on its connection's event loop
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxFormBytes) {
                refused[0] = true;
                request.pause();
                refuse(ctx, 413, TOO_LARGE);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(broken -> {
            if (!refused[0] && !ctx.response().ended()) {
                refused[0] = true;
                answer(ctx, 400, UNREADABLE); // the connection broke off: nobody may be listening
            }
        });
        request.endHandler(end -> {
            if (refused[0]) {
                return;
            }
            if (!FormContentType.wellEncoded(body.getBytes())) {
                answer(ctx, 400, UNREADABLE);
            } else {
                ctx.setBody(body);
                ctx.next();
            }
        });
        request.resume();
    }

    private void explain(RoutingContext ctx) {
        int status = status(ctx);
        if (status < 400 || status >= 500) {
            ctx.next(); // authentication's own failures, and Quarkus's error page for ours
        } else if (!ctx.response().ended() && !ctx.response().headWritten()) {
            LOG.debugf("%s %s refused with %d: %s", ctx.request().method(), ctx.normalizedPath(), status, ctx.failure());
            answer(ctx, status, status == 413 ? TOO_LARGE : "That request cannot be answered.");
        }
    }

    private static long length(RoutingContext ctx) {
        try {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            return length == null ? 0 : Long.parseLong(length);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static int status(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        return failure instanceof WebApplicationException web ? web.getResponse().getStatus()
                : failure instanceof HttpException http ? http.getStatusCode()
                : failure == null ? ctx.statusCode() : -1;
    }

    /** Answers at once; what is left of the body is thrown away for a moment before the connection closes. */
    private static void refuse(RoutingContext ctx, int status, String sentence) {
        if (ctx.request().isEnded()) {
            answer(ctx, status, sentence);
            return;
        }
        ctx.request().pause();
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8")
                .putHeader(HttpHeaders.CONNECTION, "close").end(sentence)
                .onComplete(sent -> RefusedBody.discardThenClose(ctx));
    }

    private static void answer(RoutingContext ctx, int status, String sentence) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8")
                .end(sentence);
    }
}
