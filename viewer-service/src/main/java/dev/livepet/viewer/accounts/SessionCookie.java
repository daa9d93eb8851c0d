package dev.livepet.viewer.accounts;

import dev.livepet.viewer.player.rules.SessionPrincipal;
import io.quarkus.vertx.http.runtime.security.PersistentLoginManager;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A new session cookie for this browser, written as Quarkus form authentication writes one at login (the same key,
 * name and attributes; "keep me logged in" is applied by LoginGate as to any session cookie): the browser that
 * changed the password stays logged in while every other session of the account ends.
 */
@ApplicationScoped
public class SessionCookie {
    private final Optional<PersistentLoginManager> cookies;
    private final String cookieName;

    public SessionCookie(@ConfigProperty(name = "quarkus.http.auth.session.encryption-key") Optional<String> key,
                         @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName,
                         @ConfigProperty(name = "quarkus.http.auth.form.timeout") Duration timeout,
                         @ConfigProperty(name = "quarkus.http.auth.form.http-only-cookie") boolean httpOnly,
                         @ConfigProperty(name = "quarkus.http.auth.form.cookie-same-site") String sameSite,
                         @ConfigProperty(name = "quarkus.http.auth.form.cookie-path", defaultValue = "/") String path,
                         @ConfigProperty(name = "quarkus.http.auth.form.cookie-domain") Optional<String> domain,
                         @ConfigProperty(name = "quarkus.http.auth.form.cookie-max-age") Optional<Duration> maxAge) {
        this.cookieName = cookieName;
        // without a configured key Quarkus encrypts with a random one of its own, which no one else can write with
        this.cookies = key.map(k -> new PersistentLoginManager(k, cookieName, timeout.toMillis(),
                Duration.ofMinutes(1).toMillis(), httpOnly, sameSite.toUpperCase(Locale.ROOT), path,
                maxAge.map(Duration::toSeconds).orElse(-1L), domain.orElse(null)));
    }

    /** Writes the cookie of {@code session} into the response; false when this instance cannot (no session key set). */
    public boolean issue(SessionPrincipal session, RoutingContext http) {
        cookies.ifPresent(c -> c.save(session.name(), http, cookieName, null, http.request().isSSL()));
        return cookies.isPresent();
    }
}
