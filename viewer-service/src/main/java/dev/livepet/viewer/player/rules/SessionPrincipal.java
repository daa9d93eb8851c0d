package dev.livepet.viewer.player.rules;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a session cookie names: the account, and the account's session generation when the session began
 * ({@code "42.3"}). Raising an account's generation ends every session that began before; the player is the account.
 */
public record SessionPrincipal(long accountId, int generation) {
    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,18})\\.(0|[1-9][0-9]{0,9})");

    public SessionPrincipal {
        if (accountId <= 0 || generation < 0) {
            throw new IllegalArgumentException("a session needs an account id > 0 and a generation >= 0, not "
                    + accountId + "." + generation);
        }
    }

    /** The principal as the cookie holds it; anything else (the earlier form, just the account id) is no session. */
    public static Optional<SessionPrincipal> parse(String principal) {
        Matcher m = principal == null ? null : FORM.matcher(principal);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SessionPrincipal(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** The text the cookie carries. */
    public String name() {
        return accountId + "." + generation;
    }

    /** The player's id everywhere else (pet owners, commands): the account id alone. */
    public String playerId() {
        return Long.toString(accountId);
    }
}
