package dev.livepet.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a pet's state is what it is. Every cause but {@link #TICK} is an event, published on {@link Topics#PET_STATE};
 * {@link #TICK} names a state a reader derived from the pet's last event and its partition's tick, and is never on
 * the topic.
 */
public enum Cause {
    ADOPTED, TICK, FED, TREAT, DIED;

    private final String id = name().toLowerCase(java.util.Locale.ROOT); // asked for every record read and written

    @JsonValue
    public String id() {
        return id;
    }

    /** Whether a state with this cause is an event of the pet (everything but a derived tick). */
    public boolean isEvent() {
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
