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
 * accounts; afterwards the encrypted session cookie names the account and its session generation at login
 * ({@link SessionPrincipal}), which holds while the account's generation is still that one.
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

        public PasswordLogin(AccountService accounts, LoginGate gate) {
            this.accounts = accounts;
            this.gate = gate;
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
                    .map(account -> account.map(a -> identity(a.session().name()))
                            .orElseThrow(() -> new AuthenticationFailedException("wrong email or password"))));
        }
    }

    /**
     * The session cookie, decrypted by Quarkus: it names an account and the generation it logged in at. An ended
     * session (an older generation) or one of the earlier form (the account id alone) is refused: its cookie is
     * removed and the request sent to log in, as with no cookie.
     */
    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {
        private final SessionGenerations generations;
        private final String cookieName;

        public Session(SessionGenerations generations,
                       @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName) {
            this.generations = generations;
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
            return generations.current(session.get()).flatMap(current -> current
                    ? Uni.createFrom().item(identity(session.get().name()))
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
