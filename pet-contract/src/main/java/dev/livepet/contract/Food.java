package dev.livepet.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a feed gives: the owner's meal or another player's treat. */
public enum Food {
    MEAL, TREAT;

    @JsonValue
    public String id() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static Food of(String id) {
        for (Food f : values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown food '" + id + "'");
    }
}
