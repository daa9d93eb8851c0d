package dev.livepet.viewer.accounts;

import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.limits.RateWindows;
import dev.livepet.viewer.limits.rules.RateWindow;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/**
 * Sign-ups and reset requests per client address, mails per account and per email, and current-password checks per
 * account, counted in the same shared windows as logins ({@link RateWindows}): what each costs (a hash, a mail in
 * someone's inbox) stays bounded whoever asks, on however many instances.
 */
@Startup // sweeps its counts from the start
@ApplicationScoped
public class AccountLimits {
    public static final String REGISTRATIONS = "register-address";
    public static final String RESET_REQUESTS = "reset-address";
    public static final String RESET_MAILS = "reset-email";
    public static final String MAILS = "account-mails";
    public static final String PASSWORD_CHECKS = "settings-password";

    private final RateWindows windows;
    private final RateWindow registrations;
    private final RateWindow resetRequests;
    private final RateWindow resetMails;
    private final RateWindow mails;
    private final RateWindow passwordChecks;
    private final Clock clock = Clock.systemUTC();

    public AccountLimits(RateWindows windows, ViewerConfig config) {
        ViewerConfig.AccountsConfig accounts = config.accounts();
        this.windows = windows;
        this.registrations = new RateWindow(accounts.registrationsPerAddress(), accounts.limitWindow());
        this.resetRequests = new RateWindow(accounts.resetRequestsPerAddress(), accounts.limitWindow());
        this.resetMails = new RateWindow(accounts.resetMailsPerEmail(), accounts.limitWindow());
        this.mails = new RateWindow(accounts.mailsPerAccount(), accounts.limitWindow());
        this.passwordChecks = new RateWindow(accounts.passwordChecksPerAccount(), accounts.limitWindow());
        // addresses and emails are anyone's to choose; accounts are not, but deleted ones would stay
        windows.sweep(REGISTRATIONS, registrations);
        windows.sweep(RESET_REQUESTS, resetRequests);
        windows.sweep(RESET_MAILS, resetMails);
        windows.sweep(MAILS, mails);
        windows.sweep(PASSWORD_CHECKS, passwordChecks);
    }

    /** The client's address: the one the trusted proxy forwards, else the connection's. */
    public static String addressOf(RoutingContext http) {
        return http == null || http.request().remoteAddress() == null ? "?" : http.request().remoteAddress().hostAddress();
    }

    /** One more try to register from this address; fails with a 429 past its limit. */
    public Uni<Void> registration(String address) {
        return admit(address, REGISTRATIONS, registrations, "Too many accounts were made from your network in the last "
                + hours(registrations) + ". Please try again later.");
    }

    /** One more "forgot password" from this address; fails with a 429 past its limit. */
    public Uni<Void> resetRequest(String address) {
        return admit(address, RESET_REQUESTS, resetRequests, "Too many password resets were asked for from your"
                + " network in the last " + hours(resetRequests) + ". Please try again later.");
    }

    /** Whether one more reset mail may go to this email: past its limit nothing is sent, and nobody is told. */
    public Uni<Boolean> resetMail(String email) {
        return windows.use(LoginLimits.emailKey(email), RESET_MAILS, resetMails.windowAt(clock.instant()))
                .map(resetMails::allows);
    }

    /** One more confirmation mail for this account; fails with a 429 past its limit. */
    public Uni<Void> mail(long accountId) {
        return admit(String.valueOf(accountId), MAILS, mails, "You asked for " + mails.limit() + " mails in the last "
                + hours(mails) + ". Please wait for them, or try again later.");
    }

    /** One more check of this account's current password in the settings; fails with a 429 past its limit. */
    public Uni<Void> passwordCheck(long accountId) {
        return admit(String.valueOf(accountId), PASSWORD_CHECKS, passwordChecks, "Too many tries with your current"
                + " password in the last " + hours(passwordChecks) + ". Please try again later.");
    }

    private Uni<Void> admit(String key, String action, RateWindow window, String refusal) {
        return windows.use(key, action, window.windowAt(clock.instant())).invoke(used -> {
            if (!window.allows(used)) {
                throw new AccountProblem(429, refusal);
            }
        }).replaceWithVoid();
    }

    private static String hours(RateWindow window) {
        return RateWindow.spoken(window.length());
    }
}
