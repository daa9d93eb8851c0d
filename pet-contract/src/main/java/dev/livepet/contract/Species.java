package dev.livepet.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/** The nine kinds of pet, each drawn with our own art. */
public enum Species {
    CAT("cat", "Cat"),
    CRAB("crab", "Crab"),
    DOG("dog", "Dog"),
    FISH("fish", "Fish"),
    FOX("fox", "Fox"),
    PHOENIX("phoenix", "Phoenix"),
    RABBIT("rabbit", "Rabbit"),
    SEA_TURTLE("sea-turtle", "Sea turtle"),
    TOTORO("totoro", "Totoro");

    private final String id;
    private final String displayName;

    Species(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The wire and URL form, e.g. {@code sea-turtle}. */
    @JsonValue
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public static Optional<Species> find(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    @JsonCreator
    public static Species of(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown species '" + id + "'"));
    }
}
