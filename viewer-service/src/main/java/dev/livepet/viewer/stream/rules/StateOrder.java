package dev.livepet.viewer.stream.rules;

import dev.livepet.contract.PetState;

/**
 * Which of two states of one pet is newer. Events raise the version; ticks keep it and raise the partition tick, so a
 * state is newer when its version is higher, or its version is the same and its tick is higher. The stream, the
 * read model and a browser's slot all keep whichever is newer, so the order in which they learn states never matters.
 */
public final class StateOrder {
    private StateOrder() {
    }

    /** Whether {@code candidate} is newer than {@code than} (anything is newer than nothing). */
    public static boolean newer(PetState candidate, PetState than) {
        return than == null || candidate.version() > than.version()
                || (candidate.version() == than.version() && candidate.tick() > than.tick());
    }

    /** The newer of two states, either of which may be null. */
    public static PetState newest(PetState a, PetState b) {
        if (a == null) {
            return b;
        }
        return b != null && newer(b, a) ? b : a;
    }
}
