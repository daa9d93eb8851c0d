package dev.livepet.persistence.domain;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PendingTicksTest {
    private long offset;

    @Test
    void keepsTheHighestVersionOfEachPetAcrossBatchesAndHandsOverEveryWaitingAcknowledgement() {
        PendingTicks<String> pending = new PendingTicks<>();

        assertThat(pending.hold(ticks(1, 3, 2, 4), "batch-1", 100)).isEqualTo(2);
        assertThat(pending.hold(ticks(1, 1, 2, 9), "batch-2", 200)).isEqualTo(2);
        assertThat(pending.hold(ticks(3, 1), "batch-3", 300)).isEqualTo(3);

        assertThat(pending.oldestSince()).isEqualTo(100);
        PendingTicks.Flush<String> flush = pending.drain();
        assertThat(flush.states()).extracting(l -> l.state().id() + "@v" + l.state().version())
                .containsExactlyInAnyOrder("1@v3", "2@v9", "3@v1");
        assertThat(flush.acknowledgements()).containsExactly("batch-1", "batch-2", "batch-3");
    }

    @Test
    void aDrainLeavesTheLaneEmptyForTheBatchesThatArriveDuringTheFlush() {
        PendingTicks<String> pending = new PendingTicks<>();
        pending.hold(ticks(1, 1), "batch-1", 100);

        PendingTicks.Flush<String> first = pending.drain();
        pending.hold(ticks(1, 2), "batch-2", 500);

        assertThat(first.acknowledgements()).containsExactly("batch-1");
        assertThat(pending.pets()).isEqualTo(1);
        assertThat(pending.oldestSince()).isEqualTo(500);
        PendingTicks.Flush<String> second = pending.drain();
        assertThat(second.states()).singleElement().satisfies(l -> assertThat(l.state().version()).isEqualTo(2));
        assertThat(second.acknowledgements()).containsExactly("batch-2");
        assertThat(pending.drain().isEmpty()).isTrue();
        assertThat(pending.oldestSince()).isEqualTo(-1);
    }

    @Test
    void heldStatesKeepNoPayloadButStillKnowWhereTheyCameFrom() {
        PendingTicks<String> pending = new PendingTicks<>();
        List<LatestState> first = ticks(1, 1);
        List<LatestState> newer = ticks(1, 2);
        assertThat(first.get(0).record().value()).isNotNull();

        pending.hold(first, "batch-1", 1);
        pending.hold(newer, "batch-2", 2);

        assertThat(pending.drain().states()).singleElement().satisfies(l -> {
            assertThat(l.state().version()).isEqualTo(2);
            assertThat(l.record().value()).isNull();
            assertThat(l.record().offset()).isEqualTo(newer.get(0).record().offset());
            assertThat(l.deadLetterRecord().value()).isEqualTo(PetJson.write(l.state()));
        });
    }

    @Test
    void aBatchWhoseTicksAreAllOlderStillWaitsForTheFlush() {
        PendingTicks<String> pending = new PendingTicks<>();
        pending.hold(ticks(1, 5), "newer", 1);
        pending.hold(ticks(1, 2), "older-replay", 2);

        PendingTicks.Flush<String> flush = pending.drain();

        assertThat(flush.states()).singleElement().satisfies(l -> assertThat(l.state().version()).isEqualTo(5));
        assertThat(flush.acknowledgements()).containsExactly("newer", "older-replay");
    }

    @Test
    void aFlushIsCutIntoStatementsOfAtMostTheGivenSize() {
        PendingTicks<String> pending = new PendingTicks<>();
        for (long pet = 25; pet >= 1; pet--) {
            pending.hold(ticks(pet * 1_000_003 % 25 + 1, 1), "batch-" + pet, pet);
        }

        List<List<LatestState>> chunks = pending.drain().chunks(10);

        assertThat(chunks).extracting(List::size).containsExactly(10, 10, 5);
        // in id order, so that each statement touches neighbouring rows
        assertThat(chunks.stream().flatMap(List::stream).map(l -> l.state().id()))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 25).boxed().toList());
    }

    @Test
    void aStateHeldWithoutItsPayloadStillGivesItsDeadLetterTheStateAndWhereItCameFrom() {
        LatestState held = ticks(4, 7).get(0);

        LatestState light = held.withoutPayload();

        assertThat(light.record().value()).isNull();
        assertThat(light.state()).isEqualTo(held.state());
        StateRecord letter = light.deadLetterRecord();
        assertThat(PetJson.state(letter.value())).isEqualTo(held.state());
        assertThat(letter.key()).isEqualTo("4");
        assertThat(letter.offset()).isEqualTo(held.record().offset());
        assertThat(held.deadLetterRecord()).isSameAs(held.record());
    }

    /** Tick-only states as pairs of pet id and version. */
    private List<LatestState> ticks(long... petAndVersion) {
        List<StateRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < petAndVersion.length; i += 2) {
            PetState state = new PetState(petAndVersion[i], null, "Pet " + petAndVersion[i], Species.CAT, 1, 255, true,
                    petAndVersion[i + 1], Cause.TICK, 1_000 * petAndVersion[i + 1], null);
            records.add(new StateRecord(state.key(), PetJson.write(state), 0, offset++));
        }
        return PetBatch.coalesce(records).ticksOnly();
    }
}
