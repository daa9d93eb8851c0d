package dev.livepet.persistence.domain;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PetBatchTest {
    private long offset;

    @Test
    void theHighestVersionOfEachPetWinsWhateverTheOrder() {
        List<StateRecord> records = new ArrayList<>();
        for (long pet = 1; pet <= 5; pet++) {
            for (long version = 1; version <= 8; version++) {
                records.add(record(state(pet, version, Cause.TICK, 1_000 * version)));
            }
        }
        records.add(record(state(3, 8, Cause.TICK, 8_000))); // a duplicate of a newest state
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(records, random);

            PetBatch batch = PetBatch.coalesce(records);

            assertThat(batch.records()).isEqualTo(41);
            assertThat(batch.poison()).isEmpty();
            assertThat(batch.latest()).hasSize(5)
                    .allSatisfy(latest -> {
                        assertThat(latest.state().version()).isEqualTo(8);
                        assertThat(latest.state().age()).isEqualTo(8);
                        assertThat(latest.firstAt()).as("earliest event time of the pet").isEqualTo(1_000);
                        assertThat(PetJson.state(latest.record().value())).isEqualTo(latest.state());
                    });
            assertThat(batch.latest()).extracting(l -> l.state().id()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void anOlderReplayNeverBeatsANewerState() {
        PetBatch batch = PetBatch.coalesce(List.of(
                record(state(7, 12, Cause.FED, 12_000)),
                record(state(7, 3, Cause.TICK, 3_000)),
                record(state(7, 11, Cause.TICK, 11_000))));

        assertThat(batch.latest()).singleElement()
                .satisfies(l -> assertThat(l.state().version()).isEqualTo(12))
                .satisfies(l -> assertThat(l.firstAt()).isEqualTo(3_000));
    }

    @Test
    void poisonIsSetApartWithItsReasonAndTheRestIsKept() {
        StateRecord garbage = new StateRecord("9", "not json".getBytes(StandardCharsets.UTF_8), 0, offset++);
        StateRecord empty = new StateRecord("9", null, 0, offset++);
        StateRecord unknownSpecies = new StateRecord("9", PetJson.writeString(state(9, 1, Cause.TICK, 1))
                .replace("\"cat\"", "\"dragon\"").getBytes(StandardCharsets.UTF_8), 0, offset++);
        StateRecord wrongKey = new StateRecord("10", PetJson.write(state(9, 2, Cause.TICK, 2)), 0, offset++);
        StateRecord good = record(state(9, 3, Cause.TICK, 3));

        PetBatch batch = PetBatch.coalesce(List.of(garbage, empty, unknownSpecies, wrongKey, good));

        assertThat(batch.records()).isEqualTo(5);
        assertThat(batch.latest()).singleElement().satisfies(l -> assertThat(l.record()).isSameAs(good));
        assertThat(batch.poison()).extracting(DeadLetter::record).containsExactly(garbage, empty, unknownSpecies, wrongKey);
        assertThat(batch.poison()).extracting(DeadLetter::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("unreadable state"),
                r -> assertThat(r).isEqualTo("empty state record"),
                r -> assertThat(r).startsWith("unreadable state").contains("dragon"),
                r -> assertThat(r).contains("'10'").contains("pet 9"));
    }

    @Test
    void aPetWithALifecycleChangeStaysInTheImmediateLaneEvenIfItTickedAfterwards() {
        PetBatch batch = PetBatch.coalesce(List.of(
                record(state(1, 5, Cause.FED, 5)),
                record(state(1, 6, Cause.TICK, 6)),
                record(state(2, 1, Cause.TICK, 1)),
                record(state(2, 2, Cause.TICK, 2)),
                record(state(3, 1, Cause.ADOPTED, 1))));

        assertThat(batch.lifecycle()).extracting(l -> l.state().id()).containsExactlyInAnyOrder(1L, 3L);
        assertThat(batch.lifecycle()).filteredOn(l -> l.state().id() == 1)
                .singleElement().satisfies(l -> assertThat(l.state().version()).isEqualTo(6));
        assertThat(batch.ticksOnly()).extracting(l -> l.state().id()).containsExactly(2L);
    }

    @Test
    void anEmptyPollIsAnEmptyBatch() {
        PetBatch batch = PetBatch.coalesce(List.of());

        assertThat(batch.records()).isZero();
        assertThat(batch.latest()).isEmpty();
        assertThat(batch.poison()).isEmpty();
    }

    private StateRecord record(PetState state) {
        return new StateRecord(state.key(), PetJson.write(state), 0, offset++);
    }

    private static PetState state(long id, long version, Cause cause, long at) {
        return new PetState(id, "owner-" + id, "Pet " + id, Species.CAT, (int) version, 250, true, version, cause, at, null);
    }
}
