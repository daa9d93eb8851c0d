package dev.livepet.viewer.accounts;

import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.limits.RateWindows;
import dev.livepet.viewer.limits.rules.RateWindow;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Sign-ups and reset requests per client address, mails per account and per email (reset and sign-up mails), and current-password checks per
 * account, counted in the same shared windows as logins ({@link RateWindows}): what each costs (a hash, a mail in
 * someone's inbox) stays bounded whoever asks, on however many instances.
 */
@Startup // sweeps its counts from the start
@ApplicationScoped
public class AccountLimits {
    /** What is limited, what it is counted under, and its setting (per {@code limit-window}). */
    public enum Limit {
        REGISTRATIONS("register-address", ViewerConfig.AccountsConfig::registrationsPerAddress),
        RESET_REQUESTS("reset-address", ViewerConfig.AccountsConfig::resetRequestsPerAddress),
        RESET_MAILS("reset-email", ViewerConfig.AccountsConfig::resetMailsPerEmail),
        SIGN_UP_MAILS("sign-up-email", ViewerConfig.AccountsConfig::signUpMailsPerEmail),
        MAILS("account-mails", ViewerConfig.AccountsConfig::mailsPerAccount),
        PASSWORD_CHECKS("settings-password", ViewerConfig.AccountsConfig::passwordChecksPerAccount);

        public final String action;
        private final ToIntFunction<ViewerConfig.AccountsConfig> setting;

        Limit(String action, ToIntFunction<ViewerConfig.AccountsConfig> setting) {
            this.action = action;
            this.setting = setting;
        }
    }

    private final RateWindows windows;
    private final Map<Limit, RateWindow> limits = new EnumMap<>(Limit.class);
    private final Clock clock = Clock.systemUTC();

    public AccountLimits(RateWindows windows, ViewerConfig config) {
        this.windows = windows;
        for (Limit limit : Limit.values()) {
            RateWindow window = new RateWindow(limit.setting.applyAsInt(config.accounts()), config.accounts().limitWindow());
            limits.put(limit, window);
            // addresses and emails are anyone's to choose; accounts are not, but deleted ones would stay
            windows.sweep(limit.action, window);
        }
    }

    /** The client's address: the one the trusted proxy forwards, else the connection's. */
    public static String addressOf(RoutingContext http) {
        return http == null || http.request().remoteAddress() == null ? "?" : http.request().remoteAddress().hostAddress();
    }

    /** One more try to register from this address; fails with a 429 past its limit. */
    public Uni<Void> registration(String address) {
        return admit(address, Limit.REGISTRATIONS, "Too many accounts were made from your network in the last %s."
                + " Please try again later.");
    }

    /** One more "forgot password" from this address; fails with a 429 past its limit. */
    public Uni<Void> resetRequest(String address) {
        return admit(address, Limit.RESET_REQUESTS, "Too many password resets were asked for from your network in"
                + " the last %s. Please try again later.");
    }

    /** Whether one more reset mail may go to this email: past its limit nothing is sent, and nobody is told. */
    public Uni<Boolean> resetMail(String email) {
        return silently(email, Limit.RESET_MAILS);
    }

    /** Whether one more sign-up of this email may be answered by mail: past its limit nothing is done, nor told. */
    public Uni<Boolean> signUpMail(String email) {
        return silently(email, Limit.SIGN_UP_MAILS);
    }

    private Uni<Boolean> silently(String email, Limit limit) {
        RateWindow window = limits.get(limit);
        return windows.use(LoginLimits.emailKey(email), limit.action, window.windowAt(clock.instant()))
                .map(window::allows);
    }

    /** One more confirmation mail for this account; fails with a 429 past its limit. */
    public Uni<Void> mail(long accountId) {
        return admit(String.valueOf(accountId), Limit.MAILS, "You asked for " + limits.get(Limit.MAILS).limit()
                + " mails in the last %s. Please wait for them, or try again later.");
    }

    /** One more check of this account's current password in the settings; fails with a 429 past its limit. */
    public Uni<Void> passwordCheck(long accountId) {
        return admit(String.valueOf(accountId), Limit.PASSWORD_CHECKS, "Too many tries with your current password"
                + " in the last %s. Please try again later.");
    }

    // the refusal names the window: "in the last hour"
    private Uni<Void> admit(String key, Limit limit, String refusal) {
        RateWindow window = limits.get(limit);
        return windows.use(key, limit.action, window.windowAt(clock.instant())).invoke(used -> {
            if (!window.allows(used)) {
                throw new AccountProblem(429, refusal.formatted(RateWindow.spoken(window.length())));
            }
        }).replaceWithVoid();
    }
}
