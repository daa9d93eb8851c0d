package dev.livepet.viewer.accounts;

import dev.livepet.viewer.config.ViewerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bcrypt through Quarkus security, off the event loop and on a pool of its own whose size caps the hashes running at
 * once: a flood of logins or registrations queues there, and the pages' workers and event loops stay free. The result
 * comes back on the caller's Vert.x context, so a Hibernate Reactive session can go on with it.
 */
@ApplicationScoped
public class PasswordHashing {
    private final WorkerExecutor workers;
    private final int cost;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    // an unknown email costs as much as a wrong password, so timing tells nothing; hashed on first use, off the loop
    private volatile String nobody;

    public PasswordHashing(Vertx vertx, ViewerConfig config, MeterRegistry metrics) {
        ViewerConfig.AccountsConfig accounts = config.accounts();
        this.workers = vertx.createSharedWorkerExecutor("livepet-password-hashing", accounts.hashingThreads());
        this.cost = accounts.bcryptCost();
        Gauge.builder("livepet.viewer.password.hashing.most.at.once", mostAtOnce, AtomicInteger::get)
                .description("the most bcrypt hashes or checks that ran at once since the start").register(metrics);
    }

    public Uni<String> hash(String password) {
        return capped(() -> BcryptUtil.bcryptHash(password, cost));
    }

    /** Whether {@code password} matches {@code hash}; a null hash (no such account) is checked all the same. */
    public Uni<Boolean> matches(String password, String hash) {
        return capped(() -> {
            if (hash == null) {
                BcryptUtil.matches(password, nobody());
                return false;
            }
            return BcryptUtil.matches(password, hash);
        });
    }

    private <T> Uni<T> capped(Callable<T> work) {
        return workers.executeBlocking(() -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                return work.call();
            } finally {
                running.decrementAndGet();
            }
        }, false);
    }

    private String nobody() {
        String hash = nobody;
        if (hash == null) {
            hash = BcryptUtil.bcryptHash("no account has this password", cost);
            nobody = hash;
        }
        return hash;
    }
}
