package dev.livepet.viewer.pets.rules;

import java.util.OptionalLong;

/** Reads a pet id as it appears in a URL: a positive decimal number, nothing else. */
public final class PetId {
    private PetId() {
    }

    public static OptionalLong parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 19) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            long id = Long.parseLong(text);
            return id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
