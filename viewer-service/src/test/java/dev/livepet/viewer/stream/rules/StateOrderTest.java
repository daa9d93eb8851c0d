package dev.livepet.viewer.stream.rules;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StateOrderTest {
    private static PetState state(long version, long tick) {
        return new PetState(7, "ann", "Rex", Species.DOG, 1, 250, true, version, Cause.FED, tick, 0, null);
    }

    @Test
    void aHigherVersionIsNewerWhateverItsTick() {
        assertThat(StateOrder.newer(state(4, 1), state(3, 90))).isTrue();
        assertThat(StateOrder.newer(state(3, 90), state(4, 1))).isFalse();
    }

    @Test
    void theSameVersionIsNewerOnlyAtALaterTick() {
        assertThat(StateOrder.newer(state(3, 11), state(3, 10))).isTrue();
        assertThat(StateOrder.newer(state(3, 10), state(3, 10))).isFalse();
        assertThat(StateOrder.newer(state(3, 9), state(3, 10))).isFalse();
    }

    @Test
    void anythingIsNewerThanNothingAndTheNewestOfTwoIsEitherWay() {
        assertThat(StateOrder.newer(state(1, 0), null)).isTrue();
        assertThat(StateOrder.newest(null, state(2, 0))).isEqualTo(state(2, 0));
        assertThat(StateOrder.newest(state(2, 0), null)).isEqualTo(state(2, 0));
        assertThat(StateOrder.newest(state(2, 5), state(2, 6))).isEqualTo(state(2, 6));
        assertThat(StateOrder.newest(state(2, 6), state(2, 5))).isEqualTo(state(2, 6));
        assertThat(StateOrder.newest(null, null)).isNull();
    }
}
