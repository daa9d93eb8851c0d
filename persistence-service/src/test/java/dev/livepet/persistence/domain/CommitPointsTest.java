package dev.livepet.persistence.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommitPointsTest {

    @Test
    void aPartitionCommitsOnlyPastBatchesWrittenWithEveryBatchBeforeThem() {
        CommitPoints points = new CommitPoints();
        Runnable first = points.polled(0, 99);
        Runnable second = points.polled(0, 199);
        Runnable third = points.polled(0, 299);

        second.run(); // a tick flush may finish before the older batch's lifecycle write
        third.run();
        assertThat(points.committable()).as("the first batch is not written yet").isEmpty();
        assertThat(points.waiting()).isEqualTo(1);

        first.run();
        assertThat(points.committable()).isEqualTo(Map.of(0, 300L));
        assertThat(points.committable()).as("nothing moved since").isEmpty();
    }

    @Test
    void eachPartitionMovesOnItsOwn() {
        CommitPoints points = new CommitPoints();
        Runnable zero = points.polled(0, 10);
        points.polled(1, 20);
        Runnable zeroAgain = points.polled(0, 15);

        zero.run();
        zeroAgain.run();

        assertThat(points.committable()).isEqualTo(Map.of(0, 16L));
        assertThat(points.waiting()).isEqualTo(1);
    }

    @Test
    void aPartitionGivenUpCommitsNothingHereEvenWhenItsBatchIsWrittenLater() {
        CommitPoints points = new CommitPoints();
        Runnable late = points.polled(3, 41);

        points.forget(List.of(3));
        late.run();

        assertThat(points.committable()).isEmpty();
        Runnable again = points.polled(3, 41); // assigned back: replayed from its committed offset
        again.run();
        assertThat(points.committable()).isEqualTo(Map.of(3, 42L));
    }
}
