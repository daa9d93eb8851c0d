package dev.livepet.viewer.accounts.rules;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** An email address as a player types it: one {@code @}, a domain with a dot, no spaces, at most 254 characters. */
public final class EmailAddress {
    public static final String PROBLEM = "Enter an email address such as name@example.com.";
    private static final Pattern SHAPE = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final int MAX_LENGTH = 254;

    private EmailAddress() {
    }

    /** The address as kept: without the spaces around it. */
    public static String clean(String typed) {
        return typed == null ? "" : typed.strip();
    }

    /** The form two addresses are compared in. */
    public static String key(String address) {
        return clean(address).toLowerCase(Locale.ROOT);
    }

    public static Optional<String> problem(String typed) {
        String address = clean(typed);
        if (address.length() > MAX_LENGTH || !SHAPE.matcher(address).matches()
                || address.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of(PROBLEM);
        }
        return Optional.empty();
    }
}
