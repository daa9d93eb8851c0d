package dev.livepet.viewer.accounts.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secret in a link we mail (confirm an address, reset a password): 32 random bytes, URL-safe. Only its
 * SHA-256 is stored, so a copy of the database opens no account.
 */
public final class MailToken {
    private static final SecureRandom RANDOM = new SecureRandom();

    private MailToken() {
    }

    public static String fresh() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The stored form of a token: 64 hex digits. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    /** Whether {@code text} could be a token we issued; anything else is refused before the database is asked. */
    public static boolean looksValid(String text) {
        return text != null && text.length() == 43 && text.chars().allMatch(c -> Character.isLetterOrDigit(c)
                && c < 128 || c == '-' || c == '_');
    }
}
