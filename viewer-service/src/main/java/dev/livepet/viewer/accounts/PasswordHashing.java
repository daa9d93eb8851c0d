package dev.livepet.viewer.accounts;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * bcrypt through Quarkus security, off the event loop (a hash takes tens of milliseconds); the result comes
 * back on the caller's Vert.x context, so a Hibernate Reactive session can go on with it.
 */
@ApplicationScoped
public class PasswordHashing {
    private final Vertx vertx;

    public PasswordHashing(Vertx vertx) {
        this.vertx = vertx;
    }

    public Uni<String> hash(String password) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password)), false);
    }

    /** Whether {@code password} matches {@code hash}; a null hash (no such account) is checked all the same. */
    public Uni<Boolean> matches(String password, String hash) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            if (hash == null) {
                BcryptUtil.matches(password, Nobody.HASH);
                return false;
            }
            return BcryptUtil.matches(password, hash);
        }), false);
    }

    // an unknown email costs as much as a wrong password, so timing tells nothing; hashed on first use, off the loop
    private static final class Nobody {
        static final String HASH = BcryptUtil.bcryptHash("no account has this password");
    }
}
