package dev.livepet.persistence.db;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.persistence.domain.LatestState;
import dev.livepet.persistence.domain.StateRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PetIdOrderTest {

    @Test
    void aBatchIsWrittenInPetIdOrderWhateverOrderItCameIn() {
        Random random = new Random(7);
        List<LatestState> pets = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            pets.add(pet(random.nextLong() & Long.MAX_VALUE, i + 1));
        }

        List<LatestState> ordered = PetTable.inIdOrder(pets);

        assertThat(ordered).hasSize(5_000).containsExactlyInAnyOrderElementsOf(pets)
                .isSortedAccordingTo((a, b) -> Long.compare(a.state().id(), b.state().id()));
    }

    @Test
    void petsAlreadyInOrderAreNotCopiedAndAPetTwiceIsKeptTwice() {
        List<LatestState> flush = List.of(pet(1, 1), pet(5, 1), pet(9, 1));
        assertThat(PetTable.inIdOrder(flush)).isSameAs(flush);

        List<LatestState> twice = List.of(pet(9, 1), pet(3, 1), pet(9, 2));
        assertThat(PetTable.inIdOrder(twice)).extracting(p -> p.state().id() + "@v" + p.state().version())
                .containsExactly("3@v1", "9@v1", "9@v2");
    }

    private static LatestState pet(long id, long version) {
        PetState state = new PetState(id, null, "Pet " + id, Species.CAT, 1, 255, true, version, Cause.TICK,
                1_000 * version, null);
        return new LatestState(state, new StateRecord(state.key(), new byte[0], 0, version), state.at(), false);
    }
}
