package dev.livepet.viewer.pets.rules;

import java.util.Optional;

/** What a pet's name may be: plain text of {@code minLength} to {@code maxLength} characters. */
public record NameRule(int minLength, int maxLength) {
    public NameRule {
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("a name needs 1 <= min length <= max length");
        }
    }

    /** The name as it is kept: without the spaces around it. */
    public String clean(String typed) {
        return typed == null ? "" : typed.strip();
    }

    /** Why this name cannot be a pet's name, as a sentence for the player; empty when it can. */
    public Optional<String> problem(String typed) {
        String name = clean(typed);
        int characters = name.codePointCount(0, name.length());
        if (characters < minLength || characters > maxLength) {
            return Optional.of(lengthSentence());
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("A pet's name must be plain text on one line.");
        }
        return Optional.empty();
    }

    public String lengthSentence() {
        return "A pet's name must be " + minLength + " to " + maxLength + " characters long.";
    }
}
