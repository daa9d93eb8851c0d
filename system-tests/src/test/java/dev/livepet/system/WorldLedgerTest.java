package dev.livepet.system;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault suite's checker of pet-state: it must pass a world that keeps the rules and catch each break of them. */
class WorldLedgerTest {
    private static final int PARTITIONS = 4;
    private static final TickRule RULE = new TickRule(1, 5, 500);
    private static final long REX = 42;
    private static final int HOME = PetPartitioner.partitionOf(REX, PARTITIONS);

    private final WorldLedger ledger = new WorldLedger(PARTITIONS);

    @Test
    void aWorldThatKeepsTheRulesHasNoProblem() {
        event(1, Cause.ADOPTED, 0, 0, true, "adopt-1");
        ticks(1, 2);
        event(2, Cause.FED, 2, 2, true, "c-1");         // fed at tick 2: aged two ticks since its adoption
        event(3, Cause.TREAT, 2, 2, true, "c-2");       // a treat at the same tick: no older
        ticks(3, 3);
        event(4, Cause.DIED, 4, 4, false, null);        // a death comes just before the tick it happens at
        ticks(4, 5);

        assertThat(ledger.problems()).isEmpty();
        assertThat(ledger.events()).isEqualTo(4);
        assertThat(ledger.ticks()).isEqualTo(5 * PARTITIONS);
        assertThat(ledger.latestVersion(REX)).isEqualTo(4);
        assertThat(ledger.latestTicks()).containsEntry(HOME, 5L).hasSize(PARTITIONS);
        assertThat(ledger.timesApplied("c-1")).isEqualTo(1);
        assertThat(ledger.living()).isEmpty();
        assertThat(ledger.untickedSince(Map.of(HOME, 4L))).isEmpty();
        assertThat(ledger.untickedSince(Map.of(HOME, 5L))).containsExactly(HOME);
    }

    @Test
    void aVersionMissingOrRepeatedIsAProblem() {
        event(1, Cause.ADOPTED, 0, 0, true, null);
        event(3, Cause.FED, 0, 0, true, "c-1");
        event(3, Cause.FED, 0, 0, true, "c-2");

        assertThat(ledger.problems()).startsWith("2 problem(s)").contains("version 3 after 1", "version 3 after 3");
    }

    @Test
    void aTickMissingOrRepeatedOrOfAnotherWorldIsAProblem() {
        ledger.accept(new PartitionTick(1, PARTITIONS, 7, 0, RULE));  // the first seen may follow compacted ones
        ledger.accept(new PartitionTick(1, PARTITIONS, 9, 0, RULE));
        ledger.accept(new PartitionTick(1, PARTITIONS, 9, 0, RULE));
        ledger.accept(new PartitionTick(1, PARTITIONS + 1, 10, 0, RULE));

        assertThat(ledger.problems()).startsWith("3 problem(s)")
                .contains("partition 1: tick 9 after 7", "partition 1: tick 9 after 9", "says 5 partitions");
    }

    @Test
    void anAgeTheTickRuleDoesNotGiveIsAProblem() {
        event(1, Cause.ADOPTED, 0, 0, true, null);
        ticks(1, 3);
        event(2, Cause.FED, 4, 3, true, "c-1");         // a tick applied twice
        event(3, Cause.FED, 4, 3, true, "c-2");         // fine: same tick, same age

        assertThat(ledger.problems()).startsWith("1 problem(s)").contains("age 4 at tick 3", "the rule says 3");
    }

    @Test
    void aDeadPetChangedAnEventFromThePastOrTheFutureAndAFeedAppliedTwiceAreProblems() {
        event(1, Cause.ADOPTED, 0, 0, true, null);
        ticks(1, 2);
        event(2, Cause.FED, 2, 2, true, "c-1");
        event(3, Cause.FED, 1, 1, true, "c-1");         // back a tick, and the same feed again
        event(4, Cause.DIED, 3, 3, false, null);
        event(5, Cause.TREAT, 3, 3, false, "c-2");      // after its death
        event(6, Cause.TREAT, 3, 9, false, "c-3");      // at a tick its partition has not reached

        assertThat(ledger.timesApplied("c-1")).isEqualTo(2);
        assertThat(ledger.problems()).contains("tick 1 after an event at tick 2", "feed c-1 applied 2 times",
                "changed (treat) after it died", "treat at tick 9, its partition's clock at 2");
    }

    private void event(long version, Cause cause, int age, long tick, boolean alive, String command) {
        ledger.accept(new PetState(REX, "7", "Rex", Species.CAT, age, 250, alive, version, cause, tick, 0, command));
    }

    private void ticks(long from, long to) {
        for (long t = from; t <= to; t++) {
            for (int p : List.of(0, 1, 2, 3)) {
                ledger.accept(new PartitionTick(p, PARTITIONS, t, 0, RULE));
            }
        }
    }
}
