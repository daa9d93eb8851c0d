package dev.livepet.viewer.accounts;

import dev.livepet.viewer.accounts.rules.EmailAddress;
import dev.livepet.viewer.accounts.rules.MailToken;
import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.limits.RateWindows;
import dev.livepet.viewer.limits.rules.RateWindow;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;

/**
 * Login attempts per client address and per email, counted in PostgreSQL in the fixed windows that also limit feeds
 * and treats ({@link RateWindows}), so that every viewer instance adds to the same counts.
 */
@ApplicationScoped
public class LoginLimits {
    public static final String PER_EMAIL = "login-email";
    public static final String PER_ADDRESS = "login-address";
    private static final Logger LOG = Logger.getLogger(LoginLimits.class);

    private final RateWindows windows;
    private final RateWindow perEmail;
    private final RateWindow perAddress;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    private long sweeper = -1;

    public LoginLimits(RateWindows windows, ViewerConfig config, Vertx vertx) {
        ViewerConfig.AccountsConfig accounts = config.accounts();
        this.windows = windows;
        this.perEmail = new RateWindow(accounts.loginAttemptsPerEmail(), accounts.loginWindow());
        this.perAddress = new RateWindow(accounts.loginAttemptsPerAddress(), accounts.loginWindow());
        this.vertx = vertx;
    }

    /** Counts an attempt from {@code address} for {@code email}; false when either is over its limit. */
    public Uni<Boolean> admit(String email, String address) {
        Instant now = clock.instant();
        return windows.use(address, PER_ADDRESS, perAddress.windowAt(now)).flatMap(used -> perAddress.allows(used)
                ? windows.use(emailKey(email), PER_EMAIL, perEmail.windowAt(now)).map(perEmail::allows)
                : Uni.createFrom().item(false));
    }

    /** What an email's attempts are counted under: a hash of its compared form, whatever was typed (any length, a NUL). */
    public static String emailKey(String email) {
        return MailToken.hash(EmailAddress.key(email));
    }

    /** Forgets the counts of past windows: anyone may try any email, and the table would grow with every guess. */
    public Uni<Void> forgetPastWindows() {
        Instant now = clock.instant();
        return windows.forget(PER_EMAIL, perEmail.windowAt(now))
                .chain(() -> windows.forget(PER_ADDRESS, perAddress.windowAt(now)))
                .replaceWithVoid();
    }

    void onStart(@Observes StartupEvent start) {
        sweeper = vertx.setPeriodic(perEmail.length().toMillis(), t -> forgetPastWindows().subscribe()
                .with(ok -> { }, e -> LOG.warnf("could not forget old login attempts: %s", e.toString())));
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }
}
