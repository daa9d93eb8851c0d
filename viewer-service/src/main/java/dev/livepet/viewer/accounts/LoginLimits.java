package dev.livepet.viewer.accounts;

import dev.livepet.viewer.accounts.rules.EmailAddress;
import dev.livepet.viewer.accounts.rules.LoginDelay;
import dev.livepet.viewer.accounts.rules.MailToken;
import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.limits.RateWindows;
import dev.livepet.viewer.limits.rules.RateWindow;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Login attempts per client address and per email, counted in PostgreSQL in the fixed windows that also limit feeds
 * and treats ({@link RateWindows}), so that every viewer instance adds to the same counts. An address over its limit
 * is refused; an email past its free attempts is slowed down, never locked, so nobody can lock another player out.
 */
@Startup // sweeps its counts from the start, not from the first login
@ApplicationScoped
public class LoginLimits {
    public static final String PER_EMAIL = "login-email";
    public static final String PER_ADDRESS = "login-address";

    private final RateWindows windows;
    private final RateWindow perEmail;
    private final RateWindow perAddress;
    private final LoginDelay delay;
    private final Clock clock = Clock.systemUTC();

    public LoginLimits(RateWindows windows, ViewerConfig config) {
        ViewerConfig.AccountsConfig accounts = config.accounts();
        this.windows = windows;
        this.perEmail = new RateWindow(accounts.loginAttemptsPerEmail(), accounts.loginWindow());
        this.perAddress = new RateWindow(accounts.loginAttemptsPerAddress(), accounts.loginWindow());
        this.delay = new LoginDelay(accounts.loginAttemptsPerEmail(), accounts.loginDelayFirst(),
                accounts.loginDelayCeiling());
        // anyone may try any email, and the table would grow with every guess
        windows.sweep(PER_EMAIL, perEmail);
        windows.sweep(PER_ADDRESS, perAddress);
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
}
