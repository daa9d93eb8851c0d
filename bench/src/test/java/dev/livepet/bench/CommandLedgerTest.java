package dev.livepet.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Accepted commands matched by id to the events that applied them: lost, duplicated, applied without an answer. */
class CommandLedgerTest {
    private final List<String> matched = new ArrayList<>();
    private final CommandLedger ledger = new CommandLedger((id, due, pet, version, tick) ->
            matched.add(id + " due " + due + ": pet " + pet + " v" + version + " t" + tick));

    @Test
    void everyAcceptedCommandAppliedOnceIsNeitherLostNorDuplicatedWhicheverCameFirst() {
        ledger.accepted("c-1", 1_000);
        ledger.applied("c-1", 7, 2, 40);
        ledger.applied("c-2", 8, 5, 41);      // the event before the answer
        ledger.accepted("c-2", 2_000);

        assertThat(ledger.accepted()).isEqualTo(2);
        assertThat(ledger.applied()).isEqualTo(2);
        assertThat(ledger.lost()).isZero();
        assertThat(ledger.duplicated()).isZero();
        assertThat(ledger.appliedWithoutAnswer()).isZero();
        assertThat(matched).containsExactly("c-1 due 1000: pet 7 v2 t40", "c-2 due 2000: pet 8 v5 t41");
    }

    @Test
    void anAcceptedCommandNeverAppliedIsLostAndAnAnswerWithoutAnIdToo() {
        ledger.accepted("c-1", 1_000);
        ledger.accepted("c-2", 1_010);
        ledger.applied("c-2", 8, 3, 40);
        ledger.accepted(null, 1_020);
        ledger.accepted(" ", 1_030);

        assertThat(ledger.accepted()).isEqualTo(4);
        assertThat(ledger.acceptedWithoutId()).isEqualTo(2);
        assertThat(ledger.lost()).isEqualTo(3);
        assertThat(ledger.duplicated()).isZero();
        assertThat(matched).containsExactly("c-2 due 1010: pet 8 v3 t40");
    }

    @Test
    void aCommandAppliedTwiceIsDuplicatedOnceAndMatchedOnlyByItsFirstEvent() {
        ledger.accepted("c-1", 1_000);
        ledger.applied("c-1", 7, 2, 40);
        ledger.applied("c-1", 7, 3, 41);
        ledger.applied("c-1", 7, 4, 41);

        assertThat(ledger.duplicated()).isEqualTo(2);
        assertThat(ledger.lost()).isZero();
        assertThat(matched).containsExactly("c-1 due 1000: pet 7 v2 t40");
    }

    @Test
    void oneIdInTwoAcceptedAnswersButOneEventIsOneFeedLost() {
        ledger.accepted("c-1", 1_000);
        ledger.accepted("c-1", 1_010);
        ledger.applied("c-1", 7, 2, 40);

        assertThat(ledger.lost()).isEqualTo(1);
        assertThat(ledger.duplicated()).isZero();
        assertThat(matched).containsExactly("c-1 due 1000: pet 7 v2 t40");
    }

    @Test
    void aCommandAppliedWithoutAnAcceptedAnswerIsCountedApartAndDuplicatedOnlyBeyondOnce() {
        ledger.applied("timed-out", 7, 2, 40);
        ledger.applied("timed-out-twice", 8, 2, 40);
        ledger.applied("timed-out-twice", 8, 3, 40);

        assertThat(ledger.appliedWithoutAnswer()).isEqualTo(2);
        assertThat(ledger.duplicated()).isEqualTo(1);
        assertThat(ledger.lost()).isZero();
        assertThat(matched).isEmpty();
    }
}
