package dev.livepet.stack;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where and as what a pet lands when its world moves: no tick gained or lost, one version up. */
class PetMoveTest {
    static final TickRule RULE = new TickRule(1, 5, 500);
    static final long AT = 1_700_000_000_000L;

    @Test
    void aLivingPetHoldsItsStateAtItsOldClockRebasedToTheCommonTick() {
        PartitionTick[] old = {new PartitionTick(0, 3, 7, AT, RULE), null, new PartitionTick(2, 3, 12, AT, RULE)};
        PetMove move = PetMove.onto(10, old, AT + 1);
        PetState rex = new PetState(42, "player-1", "Rex", Species.CAT, 2, 160, true, 4, Cause.FED, 2, AT - 9, "c-9");

        PetState moved = move.of(rex, old[0]);

        // fed at tick 2, its partition ticked to 7: five ticks older and hungrier, held at tick 12 from now on
        assertThat(moved).isEqualTo(new PetState(42, "player-1", "Rex", Species.CAT, 7, 185, true, 5, Cause.FED, 12,
                AT - 9, "c-9"));
        assertThat(move.partitionOf(42)).isEqualTo(PetPartitioner.partitionOf(42, 10));
        assertThat(move.clockOf(9)).isEqualTo(new PartitionTick(9, 10, 12, AT + 1, RULE));
    }

    @Test
    void aDeadPetStaysDeadAndAPetWhosePartitionNeverTickedKeepsItsEvent() {
        PartitionTick[] old = {new PartitionTick(0, 2, 30, AT, RULE), null};
        PetMove move = PetMove.onto(5, old, AT);
        PetState ghost = new PetState(9, null, "Ghost", Species.DOG, 10_001, 500, false, 3, Cause.DIED, 20, AT, null);
        PetState newborn = new PetState(10, null, "Tiny", Species.DOG, 0, 250, true, 1, Cause.ADOPTED, 0, AT, null);

        assertThat(move.of(ghost, old[0])).isEqualTo(new PetState(9, null, "Ghost", Species.DOG, 10_001, 500, false, 4,
                Cause.DIED, 30, AT, null));
        assertThat(move.of(newborn, null)).isEqualTo(new PetState(10, null, "Tiny", Species.DOG, 0, 250, true, 2,
                Cause.ADOPTED, 30, AT, null));
    }

    @Test
    void aWorldThatNeverTickedStartsItsClocksAtTickOne() {
        PetMove move = PetMove.onto(3, new PartitionTick[2], AT);
        assertThat(move.tick()).isEqualTo(1);
        assertThat(move.clockOf(0).partitions()).isEqualTo(3);
    }
}
