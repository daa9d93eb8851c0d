package dev.livepet.viewer.player.rules;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a session cookie names: the account, the account's session generation when the session began, and the
 * session itself ({@code "42.3.<22 random characters>"}). Raising an account's generation ends every session that
 * began before; ending one session ends that one only. The player is the account.
 */
public record SessionPrincipal(long accountId, int generation, String id) {
    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,18})\\.(0|[1-9][0-9]{0,9})\\.([A-Za-z0-9_-]{22})");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public SessionPrincipal {
        if (accountId <= 0 || generation < 0 || id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a session needs an account id > 0, a generation >= 0 and an id of 22"
                    + " URL-safe characters, not " + accountId + "." + generation + "." + id);
        }
    }

    /** A session that begins now: a fresh id no one can guess (128 random bits). */
    public static SessionPrincipal fresh(long accountId, int generation) {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return new SessionPrincipal(accountId, generation, Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
    }

    /** The principal as the cookie holds it; anything else (an earlier form, without the session) is no session. */
    public static Optional<SessionPrincipal> parse(String principal) {
        Matcher m = principal == null ? null : FORM.matcher(principal);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SessionPrincipal(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3)));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** The text the cookie carries. */
    public String name() {
        return accountId + "." + generation + "." + id;
    }

    /** The player's id everywhere else (pet owners, commands): the account id alone. */
    public String playerId() {
        return Long.toString(accountId);
    }
}
