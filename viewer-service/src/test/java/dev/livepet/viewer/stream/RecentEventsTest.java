package dev.livepet.viewer.stream;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream's memory of recent events: the newest per pet, for as long as the window, no more pets than allowed. */
class RecentEventsTest {
    private static final long SECOND = 1_000_000_000L;

    private static PetState event(long id, long version) {
        return new PetState(id, "ann", "Rex", Species.DOG, 1, 250, true, version, Cause.FED, 3, 0, null);
    }

    @Test
    void aPetsNewestEventIsKeptForTheWindowThenForgotten() {
        RecentEvents recent = new RecentEvents(60 * SECOND, 100);
        recent.saw(event(1, 3), 0);
        recent.saw(event(1, 2), SECOND);
        assertThat(recent.of(1, 2 * SECOND)).contains(event(1, 3));
        assertThat(recent.of(1, 61 * SECOND)).contains(event(1, 3));
        assertThat(recent.of(1, 62 * SECOND)).isEmpty();
        assertThat(recent.of(2, SECOND)).isEmpty();
    }

    @Test
    void theOldestAreForgottenFirstBeyondTheWindowOrTheCount() {
        RecentEvents recent = new RecentEvents(60 * SECOND, 3);
        for (long id = 1; id <= 5; id++) {
            recent.saw(event(id, 1), id * SECOND);
        }
        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.of(2, 6 * SECOND)).isEmpty();
        assertThat(recent.of(3, 6 * SECOND)).isPresent();
        // an event read again counts from its new reading
        recent.saw(event(3, 2), 7 * SECOND);
        recent.saw(event(6, 1), 8 * SECOND);
        assertThat(recent.of(3, 8 * SECOND)).contains(event(3, 2));
        assertThat(recent.of(4, 8 * SECOND)).isEmpty();
        recent.saw(event(7, 1), 100 * SECOND);
        assertThat(recent.size()).as("all but the last are older than the window").isEqualTo(1);
    }
}
