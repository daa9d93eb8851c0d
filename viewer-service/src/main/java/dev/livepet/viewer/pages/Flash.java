package dev.livepet.viewer.pages;

import io.quarkus.qute.TemplateData;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A one-time message that survives the redirect after a form ("Biscuit was born!"): set on the redirect as a
 * short-lived cookie, shown by the next page ({@code {inject:flash.message}} in the layout), then dropped.
 */
@RequestScoped
@Named("flash")
public class Flash {
    static final String COOKIE = "livepet-flash";
    private static final int SECONDS = 60;

    @TemplateData
    public record Message(String text, boolean problem) {
    }

    private final RoutingContext request;
    private Message shown;
    private boolean read;

    public Flash(RoutingContext request) {
        this.request = request;
    }

    public void info(String text) {
        set(new Message(text, false));
    }

    public void problem(String text) {
        set(new Message(text, true));
    }

    /** The message for this page, once: reading it removes the cookie. */
    public Message getMessage() {
        if (!read) {
            read = true;
            Cookie cookie = request.request().getCookie(COOKIE);
            if (cookie != null && !cookie.getValue().isEmpty()) {
                String value = URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
                shown = new Message(value.substring(Math.min(2, value.length())), value.startsWith("p|"));
                // a removal must name the path it was set with, or the browser keeps the cookie
                request.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setMaxAge(0));
            }
        }
        return shown;
    }

    private void set(Message message) {
        String value = (message.problem() ? "p|" : "i|") + message.text();
        request.response().addCookie(Cookie.cookie(COOKIE, URLEncoder.encode(value, StandardCharsets.UTF_8))
                .setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX).setMaxAge(SECONDS));
    }
}
