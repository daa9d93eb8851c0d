package dev.livepet.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a pet's state changed. Everything but {@link #TICK} is a lifecycle change that must show at once. */
public enum Cause {
    ADOPTED, TICK, FED, TREAT, DIED;

    private final String id = name().toLowerCase(java.util.Locale.ROOT); // asked for every record read and written

    @JsonValue
    public String id() {
        return id;
    }

    public boolean isLifecycle() {
        return this != TICK;
    }

    @JsonCreator
    public static Cause of(String id) {
        for (Cause c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cause '" + id + "'");
    }
}
