package dev.livepet.persistence.domain;

import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TickLanesTest {
    private long offset;

    @Test
    void eachPartitionsTicksAndAcknowledgementsWaitInItsOwnLane() {
        TickLanes<String> lanes = new TickLanes<>();

        hold(lanes, 0, "p0-batch-1", 100, 1, 3, 2, 4);
        hold(lanes, 1, "p1-batch-1", 200, 7, 1);
        hold(lanes, 0, "p0-batch-2", 300, 1, 5);

        assertThat(lanes.lanes()).isEqualTo(2);
        assertThat(lanes.pets()).isEqualTo(3);
        PendingTicks.Flush<String> first = lanes.drain(0);
        assertThat(first.states()).extracting(l -> l.state().id() + "@v" + l.state().version())
                .containsExactly("1@v5", "2@v4");
        assertThat(first.acknowledgements()).containsExactly("p0-batch-1", "p0-batch-2");
        assertThat(lanes.pets()).isEqualTo(1);
        assertThat(lanes.drain(1).acknowledgements()).containsExactly("p1-batch-1");
        assertThat(lanes.pets()).isZero();
    }

    @Test
    void thePartitionThatHasWaitedLongestFlushesNextAndAnEmptyLaneNever() {
        TickLanes<String> lanes = new TickLanes<>();
        assertThat(lanes.longestWaiting()).isEqualTo(-1);
        assertThat(lanes.drain(lanes.longestWaiting()).isEmpty()).isTrue();
        hold(lanes, 2, "p2", 500, 1, 1);
        hold(lanes, 0, "p0", 300, 2, 1);
        hold(lanes, 1, "p1", 400, 3, 1);
        hold(lanes, 0, "p0-later", 900, 2, 2); // the lane's oldest batch still counts
        lanes.lane(3).hold(4, 1, 1, PetJson.write(PendingTicksTest.tick(4, 1)), 0); // held, no batch waits yet

        List<Integer> order = new ArrayList<>();
        for (int partition; (partition = lanes.longestWaiting()) >= 0; ) {
            order.add(partition);
            lanes.drain(partition);
        }

        assertThat(order).containsExactly(0, 1, 2);
        assertThat(lanes.oldestSince()).isEqualTo(-1);
        assertThat(lanes.pets()).isEqualTo(1);
    }

    @Test
    void drainingEveryLaneGivesOneFlushInPetIdOrder() {
        TickLanes<String> lanes = new TickLanes<>();
        hold(lanes, 0, "p0", 100, 9, 1, 4, 1);
        hold(lanes, 1, "p1", 200, 7, 1, 2, 1);

        PendingTicks.Flush<String> all = lanes.drainAll();

        assertThat(all.states()).extracting(l -> l.state().id()).containsExactly(2L, 4L, 7L, 9L);
        assertThat(all.acknowledgements()).containsExactlyInAnyOrder("p0", "p1");
        assertThat(lanes.pets()).isZero();
    }

    @Test
    void aPartitionThatWentToAnotherInstanceIsForgottenWithItsTicks() {
        TickLanes<String> lanes = new TickLanes<>();
        hold(lanes, 0, "p0", 100, 1, 1);
        hold(lanes, 1, "p1", 200, 2, 1, 3, 1);

        lanes.forget(List.of(1));

        assertThat(lanes.lanes()).isEqualTo(1);
        assertThat(lanes.pets()).isEqualTo(1);
        PendingTicks.Flush<String> all = lanes.drainAll();
        assertThat(all.states()).extracting(l -> l.state().id()).containsExactly(1L);
        assertThat(all.acknowledgements()).containsExactly("p0");
    }

    /** A batch of one partition: ticks as pairs of pet id and version, then its acknowledgement. */
    private void hold(TickLanes<String> lanes, int partition, String acknowledgement, long now, long... petAndVersion) {
        PendingTicks<String> lane = lanes.lane(partition);
        for (int i = 0; i < petAndVersion.length; i += 2) {
            PetState state = PendingTicksTest.tick(petAndVersion[i], petAndVersion[i + 1]);
            lane.hold(state.id(), state.version(), state.at(), PetJson.write(state), offset++);
        }
        lane.waitFor(acknowledgement, now);
    }
}
