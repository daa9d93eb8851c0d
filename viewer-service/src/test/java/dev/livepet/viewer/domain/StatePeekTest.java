package dev.livepet.viewer.domain;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StatePeekTest {
    @Test
    void readsEveryCauseAndTheEventTimeOfAStateAsTheContractWritesIt() {
        for (Cause cause : Cause.values()) {
            byte[] json = PetJson.write(new PetState(42, "owner", "Rex", Species.DOG, 7, 250, cause != Cause.DIED, 3,
                    cause, 1_764_000_000_123L, cause == Cause.FED ? "cmd-1" : null));
            assertThat(StatePeek.cause(json)).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(cause);
            assertThat(StatePeek.at(json)).isEqualTo(1_764_000_000_123L);
        }
    }

    @Test
    void aNameThatLooksLikeTheFieldsDoesNotFoolIt() {
        byte[] json = PetJson.write(new PetState(42, null, "x\",\"cause\":\"died\",\"at\":7", Species.CAT, 1, 5, true,
                2, Cause.TICK, 99, null));
        assertThat(StatePeek.cause(json)).isEqualTo(Cause.TICK);
        assertThat(StatePeek.at(json)).isEqualTo(99);
    }

    @Test
    void somethingElseHasNoCauseAndNoTime() {
        byte[] json = "{\"id\":1,\"cause\":\"sneezed\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(StatePeek.cause(json)).isNull();
        assertThat(StatePeek.at(json)).isEqualTo(-1);
        assertThat(StatePeek.cause(new byte[0])).isNull();
        assertThat(StatePeek.cause(null)).isNull();
        assertThat(StatePeek.at("{\"at\":x}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }
}
