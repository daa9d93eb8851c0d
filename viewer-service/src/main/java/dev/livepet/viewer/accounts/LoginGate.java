package dev.livepet.viewer.accounts;

import dev.livepet.viewer.config.ViewerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;

/**
 * What Quarkus form authentication leaves to us, in front of it: logins are refused from other sites (login CSRF),
 * limited per client address and slowed down per email (counted by every instance together, {@link LoginLimits});
 * "keep me logged in" turns the session cookie into a lasting one;
 * every cookie we set is SameSite=Lax and, over HTTPS, Secure.
 */
@ApplicationScoped
public class LoginGate {
    public static final String REMEMBER_PARAMETER = "remember";
    /** marks a browser whose player asked to stay logged in; the session cookie is made lasting on each renewal */
    public static final String REMEMBER_COOKIE = "livepet-remember";
    private static final String THROTTLED = LoginGate.class.getName() + ".throttled";

    private final String postLocation;
    private final String sessionCookie;
    private final LoginLimits limits;
    private final long keepSeconds;
    private final boolean secure;
    private final Vertx vertx;
    private final Counter delayed;

    public LoginGate(ViewerConfig config, LoginLimits limits, Vertx vertx, MeterRegistry metrics,
                     @ConfigProperty(name = "quarkus.http.auth.form.post-location") String postLocation,
                     @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String sessionCookie) {
        ViewerConfig.AccountsConfig accounts = config.accounts();
        this.postLocation = postLocation;
        this.sessionCookie = sessionCookie;
        this.limits = limits;
        this.keepSeconds = accounts.keepLoggedIn().toSeconds();
        this.secure = config.playerCookie().secure();
        this.vertx = vertx;
        this.delayed = Counter.builder("livepet.viewer.logins.delayed")
                .description("logins that waited: their email had had its free attempts in the window").register(metrics);
    }

    // before authentication, which answers the login post itself
    void register(@Observes Filters filters) {
        filters.register(this::inFront, SecurityHandlerPriorities.AUTHENTICATION + 50);
    }

    /**
     * Counts a login attempt for this email from this request's address. False when the address is over its limit
     * (the login then fails, and is sent to the throttled page); true once the email's wait, if any, is over.
     */
    Uni<Boolean> attemptFor(String email, RoutingContext http) {
        return limits.admit(email, AccountLimits.addressOf(http)).flatMap(verdict -> {
            if (verdict.refused()) {
                if (http != null) {
                    http.put(THROTTLED, Boolean.TRUE);
                }
                return Uni.createFrom().item(false);
            }
            if (verdict.pause().isZero()) {
                return Uni.createFrom().item(true);
            }
            delayed.increment();
            // a timer, not a blocked thread; set on this request's context, it fires there and the check goes on
            return Uni.createFrom().emitter(waited -> vertx.setTimer(verdict.pause().toMillis(),
                    timer -> waited.complete(true)));
        });
    }

    /** Whether the player logging in with this request ticked "keep me logged in". */
    static boolean rememberAsked(RoutingContext login) {
        return login != null && "on".equals(login.request().getFormAttribute(REMEMBER_PARAMETER));
    }

    /** Whether this browser's player asked to be kept logged in when they logged in (its mark). */
    static boolean remembered(RoutingContext http) {
        return http != null && http.request().getCookie(REMEMBER_COOKIE) != null;
    }

    private void inFront(RoutingContext ctx) {
        boolean login = ctx.request().method() == HttpMethod.POST && postLocation.equals(ctx.normalizedPath());
        if (login) {
            if (fromAnotherSite(ctx)) {
                ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8")
                        .end("Log in from LivePet's own login page.");
                return;
            }
        }
        ctx.addHeadersEndHandler(v -> onHeaders(ctx, login));
        ctx.next();
    }

    private void onHeaders(RoutingContext ctx, boolean login) {
        if (login && Boolean.TRUE.equals(ctx.get(THROTTLED))) {
            ctx.response().putHeader(HttpHeaders.LOCATION, "/login?throttled=1");
        }
        Cookie session = ctx.request().getCookie(sessionCookie);
        boolean loggedInNow = login && changed(session) && !session.getValue().isEmpty();
        boolean remember = loggedInNow ? rememberAsked(ctx) : remembered(ctx);
        if (loggedInNow) {
            Cookie marker = Cookie.cookie(REMEMBER_COOKIE, "1").setPath("/").setHttpOnly(true);
            ctx.response().addCookie(remember ? marker.setMaxAge(keepSeconds) : marker.setMaxAge(0));
        }
        if (remember && changed(session) && !session.getValue().isEmpty()) {
            session.setMaxAge(keepSeconds);
        }
        for (Cookie cookie : ctx.request().cookies()) {
            if (changed(cookie)) {
                if (cookie.getSameSite() == null) {
                    cookie.setSameSite(CookieSameSite.LAX);
                }
                if (secure) {
                    cookie.setSecure(true);
                }
            }
        }
    }

    private static boolean changed(Cookie cookie) {
        return cookie instanceof ServerCookie server && server.isChanged();
    }

    // the browser says where a form came from: Sec-Fetch-Site, else Origin against our own host
    private static boolean fromAnotherSite(RoutingContext ctx) {
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("cross-site");
        }
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return false;
        }
        try {
            String host = ctx.request().getHeader(HttpHeaders.HOST);
            return host == null || !host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
