package dev.livepet.persistence.domain;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PendingTicksTest {
    private long offset;

    @Test
    void keepsTheHighestVersionOfEachPetAcrossBatchesAndHandsOverEveryWaitingAcknowledgement() {
        PendingTicks<String> pending = new PendingTicks<>(3);

        hold(pending, 1, 3, 2, 4);
        pending.waitFor("batch-1", 100);
        hold(pending, 1, 1, 2, 9);
        pending.waitFor("batch-2", 200);
        hold(pending, 3, 1);
        pending.waitFor("batch-3", 300);

        assertThat(pending.pets()).isEqualTo(3);
        assertThat(pending.oldestSince()).isEqualTo(100);
        PendingTicks.Flush<String> flush = pending.drain();
        assertThat(flush.states()).extracting(l -> l.state().id() + "@v" + l.state().version())
                .containsExactly("1@v3", "2@v9", "3@v1");
        assertThat(flush.acknowledgements()).containsExactly("batch-1", "batch-2", "batch-3");
        assertThat(flush.poison()).isEmpty();
    }

    @Test
    void aHeldTickIsReadWholeWhenFlushedAndKnowsWhereItCameFromAndWhenThePetWasFirstSeen() {
        PendingTicks<String> pending = new PendingTicks<>(7);
        PetState older = tick(4, 2);
        PetState newer = tick(4, 5);
        pending.hold(4, 5, newer.at(), PetJson.write(newer), 50);
        pending.hold(4, 2, older.at(), PetJson.write(older), 20);

        LatestState held = pending.drain().states().get(0);

        assertThat(held.state()).isEqualTo(newer);
        assertThat(held.firstAt()).isEqualTo(older.at());
        assertThat(held.lifecycle()).isFalse();
        assertThat(held.record().key()).isEqualTo("4");
        assertThat(held.record().partition()).isEqualTo(7);
        assertThat(held.record().offset()).isEqualTo(50);
        assertThat(held.record().value()).isEqualTo(PetJson.write(newer));
    }

    @Test
    void aDrainLeavesTheLaneEmptyForTheBatchesThatArriveDuringTheFlush() {
        PendingTicks<String> pending = new PendingTicks<>(0);
        hold(pending, 1, 1);
        pending.waitFor("batch-1", 100);

        PendingTicks.Flush<String> first = pending.drain();
        hold(pending, 1, 2);
        pending.waitFor("batch-2", 500);

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
    void aBatchWhoseTicksAreAllOlderStillWaitsForTheFlush() {
        PendingTicks<String> pending = new PendingTicks<>(0);
        hold(pending, 1, 5);
        pending.waitFor("newer", 1);
        hold(pending, 1, 2);
        pending.waitFor("older-replay", 2);

        PendingTicks.Flush<String> flush = pending.drain();

        assertThat(flush.states()).singleElement().satisfies(l -> assertThat(l.state().version()).isEqualTo(5));
        assertThat(flush.acknowledgements()).containsExactly("newer", "older-replay");
    }

    @Test
    void aHeldTickWhoseMiddleIsBrokenGoesToTheDeadLettersWhenFlushedAndTheOthersAreWritten() {
        PendingTicks<String> pending = new PendingTicks<>(2);
        byte[] broken = "{\"id\":8,\"name\":\"x\",\"species\":\"unicorn\",\"age\":1,\"hunger\":1,\"alive\":true,\"version\":2,\"cause\":\"tick\",\"at\":5}"
                .getBytes(StandardCharsets.UTF_8);
        pending.hold(8, 2, 5, broken, 11);
        hold(pending, 9, 1);

        PendingTicks.Flush<String> flush = pending.drain();

        assertThat(flush.states()).extracting(l -> l.state().id()).containsExactly(9L);
        assertThat(flush.poison()).singleElement().satisfies(letter -> {
            assertThat(letter.record().value()).isEqualTo(broken);
            assertThat(letter.record().offset()).isEqualTo(11);
            assertThat(letter.reason()).contains("unicorn");
        });
    }

    @Test
    void aFlushIsCutIntoStatementsOfAtMostTheGivenSizeInPetIdOrder() {
        PendingTicks<String> pending = new PendingTicks<>(0);
        for (long pet = 25; pet >= 1; pet--) {
            hold(pending, pet * 1_000_003 % 25 + 1, 1);
        }

        List<List<LatestState>> chunks = pending.drain().chunks(10);

        assertThat(chunks).extracting(List::size).containsExactly(10, 10, 5);
        // in id order, so that each statement touches neighbouring rows
        assertThat(chunks.stream().flatMap(List::stream).map(l -> l.state().id()))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 25).boxed().toList());
    }

    @Test
    void aTickReadWholeAlreadyIsHeldLikeAnyOther() {
        PendingTicks<String> pending = new PendingTicks<>(0);
        PetState state = tick(6, 3);
        LatestState whole = new LatestState(state, new StateRecord("6", PetJson.write(state), 0, 77), 1_000, false);

        pending.hold(whole);

        assertThat(pending.drain().states()).singleElement().satisfies(l -> {
            assertThat(l.state()).isEqualTo(state);
            assertThat(l.firstAt()).isEqualTo(1_000);
            assertThat(l.record().offset()).isEqualTo(77);
        });
    }

    /** Ticks as pairs of pet id and version. */
    private void hold(PendingTicks<String> pending, long... petAndVersion) {
        for (int i = 0; i < petAndVersion.length; i += 2) {
            PetState state = tick(petAndVersion[i], petAndVersion[i + 1]);
            pending.hold(state.id(), state.version(), state.at(), PetJson.write(state), offset++);
        }
    }

    static PetState tick(long pet, long version) {
        return new PetState(pet, null, "Pet " + pet, Species.CAT, 1, 255, true, version, Cause.TICK, 1_000 * version, null);
    }
}
