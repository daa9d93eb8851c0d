package dev.livepet.viewer.accounts.rules;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** What a password may be: {@code minLength} to {@code maxLength} characters, and no more than bcrypt reads. */
public record PasswordRule(int minLength, int maxLength) {
    /** bcrypt ignores every byte after the 72nd, so a longer password would be silently cut. */
    public static final int BCRYPT_BYTES = 72;

    public PasswordRule {
        if (minLength < 1 || maxLength < minLength || maxLength > BCRYPT_BYTES) {
            throw new IllegalArgumentException("a password needs 1 <= min length <= max length <= 72");
        }
    }

    /** Why this password cannot be used, as a sentence for the player; empty when it can. */
    public Optional<String> problem(String password) {
        String typed = password == null ? "" : password;
        int characters = typed.codePointCount(0, typed.length());
        if (characters < minLength || characters > maxLength) {
            return Optional.of("A password must be " + minLength + " to " + maxLength + " characters long.");
        }
        if (typed.getBytes(StandardCharsets.UTF_8).length > BCRYPT_BYTES) {
            return Optional.of("This password is too long in bytes: use fewer accented or special characters.");
        }
        return Optional.empty();
    }
}
