package dev.livepet.viewer.accounts;

import dev.livepet.viewer.player.rules.SessionPrincipal;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Who a request is, for Quarkus form authentication: a login checks the email and password (bcrypt) against the
 * accounts and begins a session ({@link PlayerSessions}); afterwards the encrypted session cookie names the account,
 * its session generation at login and the session ({@link SessionPrincipal}), which holds while the account's
 * generation is still that one and the session was neither ended nor outlived.
 */
public final class AccountIdentities {
    public static final String ROLE = "player";

    private AccountIdentities() {
    }

    // the principal is a SessionPrincipal's name: the form authentication writes it into the cookie as it is
    static SecurityIdentity identity(String principal) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(principal)).addRole(ROLE).build();
    }

    /** A login: the same failure for a wrong email and a wrong password; none from an address past its limit. */
    @ApplicationScoped
    public static class PasswordLogin implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
        private final AccountService accounts;
        private final LoginGate gate;
        private final PlayerSessions sessions;

        public PasswordLogin(AccountService accounts, LoginGate gate, PlayerSessions sessions) {
            this.accounts = accounts;
            this.gate = gate;
            this.sessions = sessions;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                                  AuthenticationRequestContext context) {
            RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
            return gate.attemptFor(request.getUsername(), http).flatMap(allowed -> !allowed
                    ? Uni.createFrom().failure(new AuthenticationFailedException("too many attempts"))
                    : accounts.check(request.getUsername(), new String(request.getPassword().getPassword()))
                    .map(account -> account.orElseThrow(() -> new AuthenticationFailedException("wrong email or password")))
                    .flatMap(a -> sessions.start(a.id, a.sessionGeneration, LoginGate.rememberAsked(http)))
                    .map(session -> identity(session.name())));
        }
    }

    /**
     * The session cookie, decrypted by Quarkus: it names an account, the generation it logged in at and the session.
     * An ended session (an older generation, logged out, past its lifetime) or one of an earlier form is refused: its
     * cookie is removed and the request sent to log in, as with no cookie.
     */
    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {
        private final SessionGenerations generations;
        private final PlayerSessions sessions;
        private final String cookieName;

        public Session(SessionGenerations generations, PlayerSessions sessions,
                       @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName) {
            this.generations = generations;
            this.sessions = sessions;
            this.cookieName = cookieName;
        }

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
                                                  AuthenticationRequestContext context) {
            Optional<SessionPrincipal> session = SessionPrincipal.parse(request.getPrincipal());
            if (session.isEmpty()) {
                return refuse(request, "not a session of ours");
            }
            return generations.current(session.get())
                    .flatMap(current -> current ? sessions.current(session.get()) : Uni.createFrom().item(false))
                    .flatMap(current -> current ? Uni.createFrom().item(identity(session.get().name()))
                            : refuse(request, "an ended session"));
        }

        // without the removal the browser would bring the cookie back, and the login page would send it to log in
        private Uni<SecurityIdentity> refuse(TrustedAuthenticationRequest request, String why) {
            RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
            if (http != null && !http.response().headWritten()) {
                http.response().addCookie(Cookie.cookie(cookieName, "").setPath("/").setMaxAge(0));
            }
            return Uni.createFrom().failure(new AuthenticationFailedException(why));
        }
    }
}
