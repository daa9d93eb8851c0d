package dev.livepet.viewer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of the viewer itself, not of the world. */
@ConfigMapping(prefix = "livepet.viewer")
public interface ViewerConfig {
    /** How many of a player's own pets My Pets lists, newest first. */
    @WithDefault("1000")
    int ownPets();

    /** How long a just-adopted pet stays watched without a browser, so its first state is not missed. */
    @WithDefault("1m")
    Duration adoptionWatch();

    /** The largest form body taken (bytes); a larger one is refused with 413 before it is read. */
    @WithDefault("65536")
    long maxFormBytes();

    PlayerCookieConfig playerCookie();

    StreamConfig stream();

    AccountsConfig accounts();

    /** How this instance reads pet-state (every partition, from its end, in no consumer group). */
    interface StreamConfig {
        @WithDefault("2000")
        int maxPollRecords();

        /** A partition whose last record read is older than this skips to its end (see {@link BacklogRule}). */
        @WithDefault("5s")
        Duration maxBehind();

        /** ...if at least this many records of it are still unread. */
        @WithDefault("1000")
        long skipMinRecords();

        /**
         * How long the stream remembers every pet event it read, watched or not: PostgreSQL holds an event a moment
         * after it happened, and a pet first watched meanwhile must not be shown as it was before.
         */
        @WithDefault("1m")
        Duration recentEvents();

        /** ...and at most this many pets' events (a million-pet world's seeding must not fill the heap). */
        @WithDefault("100000")
        int recentEventsMax();
    }

    interface PlayerCookieConfig {
        /** Only send the session cookies over HTTPS; on where the viewer is served over HTTPS. */
        @WithDefault("false")
        boolean secure();
    }

    interface AccountsConfig {
        @WithDefault("12")
        int passwordMinLength();

        @WithDefault("72")
        int passwordMaxLength();

        /** How long the link that confirms an email address works. */
        @WithDefault("7d")
        Duration emailConfirmationValidity();

        /** How long the link that resets a password works. */
        @WithDefault("1d")
        Duration passwordResetValidity();

        /** Login attempts per email within {@link #loginWindow()} that wait for nothing; further ones wait. */
        @WithDefault("10")
        int loginAttemptsPerEmail();

        /** ...and per client address (higher: players behind one proxy share an address). */
        @WithDefault("60")
        int loginAttemptsPerAddress();

        @WithDefault("5m")
        Duration loginWindow();

        /**
         * What a login waits once its email had its free attempts ({@link #loginAttemptsPerEmail()}) in the window;
         * each further attempt waits twice as long, up to {@link #loginDelayCeiling()}. Never a lockout.
         */
        @WithDefault("1s")
        Duration loginDelayFirst();

        @WithDefault("30s")
        Duration loginDelayCeiling();

        /** The window the limits on sign-ups, mails and settings below are counted in (by every instance together). */
        @WithDefault("1h")
        Duration limitWindow();

        /** Accounts one client address may try to register per window; past them a 429 (each try costs a hash). */
        @WithDefault("10")
        int registrationsPerAddress();

        /** "Forgot password" requests one client address may send per window; past them a 429. */
        @WithDefault("20")
        int resetRequestsPerAddress();

        /** Reset mails one email address receives per window; past them the answer is the same but nothing is sent. */
        @WithDefault("3")
        int resetMailsPerEmail();

        /** Sign-ups of one email answered per window (each a mail to it); past them the answer is the same, no mail. */
        @WithDefault("3")
        int signUpMailsPerEmail();

        /** Confirmation mails (sent again, or to a new address) one account may ask for per window. */
        @WithDefault("5")
        int mailsPerAccount();

        /** Current-password checks (changing the email or the password) one account may make per window. */
        @WithDefault("10")
        int passwordChecksPerAccount();

        /**
         * bcrypt's cost (log2 of its rounds): 11 is the most whose check stays under 250 ms on a 2-core machine
         * (measured: 84 ms at 10, 169 ms at 11, 336 ms at 12). Stored hashes keep the cost they were made with.
         */
        @WithDefault("11")
        int bcryptCost();

        /** The most bcrypt hashes or checks that run at once on an instance; more wait their turn. */
        @WithDefault("2")
        int hashingThreads();

        /** The longest a session lives, however often it is used, when the player did not ask to be kept logged in. */
        @WithDefault("12h")
        Duration sessionLifetime();

        /** The longest a session lives, however often it is used, when the player asked to be kept logged in. */
        @WithDefault("30d")
        Duration rememberedSessionLifetime();

        /** How long "keep me logged in" keeps a player logged in without a visit. */
        @WithDefault("30d")
        Duration keepLoggedIn();

        /**
         * How long an instance trusts the session generation it last read for an account (a password change or reset
         * and "log out everywhere" raise it, ending the account's sessions). Every instance hears of a raise at once
         * (PostgreSQL NOTIFY); one that missed it (its listening connection was down) may still accept an ended
         * session's cookie at most this long after the raise. Past it, a request reads the generation again.
         */
        @WithDefault("5s")
        Duration sessionCheckInterval();

        /**
         * The address mailed links start with, e.g. https://livepet.example; required in production
         * ({@link ProductionSettings}), the request's own address only in dev.
         */
        Optional<String> publicUrl();

        /** Show every mail sent at /mailbox (the local world and tests, with the mock mailer); never in production. */
        @WithDefault("false")
        boolean mailbox();
    }
}
