package dev.livepet.persistence.db;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.persistence.domain.LatestEvent;
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
        List<LatestEvent> pets = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            pets.add(pet(random.nextLong() & Long.MAX_VALUE, i + 1));
        }

        List<LatestEvent> ordered = PetTable.inIdOrder(pets);

        assertThat(ordered).hasSize(5_000).containsExactlyInAnyOrderElementsOf(pets)
                .isSortedAccordingTo((a, b) -> Long.compare(a.event().id(), b.event().id()));
    }

    @Test
    void petsAlreadyInOrderAreNotCopiedAndAPetTwiceIsKeptTwice() {
        List<LatestEvent> ordered = List.of(pet(1, 1), pet(5, 1), pet(9, 1));
        assertThat(PetTable.inIdOrder(ordered)).isSameAs(ordered);

        List<LatestEvent> twice = List.of(pet(9, 1), pet(3, 1), pet(9, 2));
        assertThat(PetTable.inIdOrder(twice)).extracting(p -> p.event().id() + "@v" + p.event().version())
                .containsExactly("3@v1", "9@v1", "9@v2");
    }

    private static LatestEvent pet(long id, long version) {
        PetState event = new PetState(id, null, "Pet " + id, Species.CAT, 1, 255, true, version, Cause.FED, version,
                1_000 * version, "c-" + version);
        return new LatestEvent(event, new StateRecord(PetStateCodec.key(id), new byte[0], 0, version), event.at());
    }
}
