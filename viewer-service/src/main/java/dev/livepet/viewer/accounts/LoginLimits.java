package dev.livepet.viewer.accounts;

import dev.livepet.viewer.accounts.rules.EmailAddress;
import dev.livepet.viewer.accounts.rules.LoginDelay;
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
import java.time.Duration;
import java.time.Instant;

/**
 * Login attempts per client address and per email, counted in PostgreSQL in the fixed windows that also limit feeds
 * and treats ({@link RateWindows}), so that every viewer instance adds to the same counts. An address over its limit
 * is refused; an email past its free attempts is slowed down, never locked, so nobody can lock another player out.
 */
@ApplicationScoped
public class LoginLimits {
    public static final String PER_EMAIL = "login-email";
    public static final String PER_ADDRESS = "login-address";
    private static final Logger LOG = Logger.getLogger(LoginLimits.class);

    private final RateWindows windows;
    private final RateWindow perEmail;
    private final RateWindow perAddress;
    private final LoginDelay delay;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    private long sweeper = -1;

    public LoginLimits(RateWindows windows, ViewerConfig config, Vertx vertx) {
        ViewerConfig.AccountsConfig accounts = config.accounts();
        this.windows = windows;
        this.perEmail = new RateWindow(accounts.loginAttemptsPerEmail(), accounts.loginWindow());
        this.perAddress = new RateWindow(accounts.loginAttemptsPerAddress(), accounts.loginWindow());
        this.delay = new LoginDelay(accounts.loginAttemptsPerEmail(), accounts.loginDelayFirst(),
                accounts.loginDelayCeiling());
        this.vertx = vertx;
    }

    /** What an attempt may do: be checked at once, be checked after {@code pause}, or not at all. */
    public record Verdict(boolean refused, Duration pause) {
        static final Verdict REFUSED = new Verdict(true, Duration.ZERO);
    }

    /** Counts an attempt from {@code address} for {@code email}: refused past the address' limit, else its pause. */
    public Uni<Verdict> admit(String email, String address) {
        Instant now = clock.instant();
        return windows.use(address, PER_ADDRESS, perAddress.windowAt(now)).flatMap(used -> perAddress.allows(used)
                ? windows.use(emailKey(email), PER_EMAIL, perEmail.windowAt(now))
                        .map(attempt -> new Verdict(false, delay.before(attempt)))
                : Uni.createFrom().item(Verdict.REFUSED));
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
