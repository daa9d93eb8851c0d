package dev.livepet.viewer.account;

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
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.OptionalLong;

/**
 * Who a request is, for Quarkus form authentication: a login checks the email and password (bcrypt) against the
 * accounts; afterwards the encrypted session cookie names the account id, which is trusted as it is.
 */
public final class AccountIdentities {
    public static final String ROLE = "player";

    private AccountIdentities() {
    }

    static SecurityIdentity identity(String playerId) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(playerId)).addRole(ROLE).build();
    }

    /** The account id in a session cookie; anything else is no session of ours. */
    static OptionalLong accountId(String principal) {
        try {
            long id = Long.parseLong(principal);
            return id > 0 && Long.toString(id).equals(principal) ? OptionalLong.of(id) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A login: the same failure for a wrong email and a wrong password, and none past the email's attempt limit. */
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
                    .map(account -> account.map(a -> identity(a.playerId()))
                            .orElseThrow(() -> new AuthenticationFailedException("wrong email or password"))));
        }
    }

    /** The session cookie, decrypted by Quarkus: it holds the account id of a player who logged in. */
    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {
        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
                                                  AuthenticationRequestContext context) {
            return accountId(request.getPrincipal()).isPresent()
                    ? Uni.createFrom().item(identity(request.getPrincipal()))
                    : Uni.createFrom().failure(new AuthenticationFailedException("not a session of ours"));
        }
    }
}
