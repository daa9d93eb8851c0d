package dev.livepet.persistence.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommitPointsTest {

    @Test
    void aPartitionCommitsOnlyPastBatchesWrittenWithEveryBatchBeforeThem() {
        CommitPoints points = new CommitPoints();
        Runnable first = points.polled(0, 100);
        Runnable second = points.polled(0, 200);
        Runnable third = points.polled(0, 300);

        second.run(); // with batches in flight, a younger batch may be written before an older one
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
        Runnable zero = points.polled(0, 11);
        points.polled(1, 21);
        Runnable zeroAgain = points.polled(0, 16);

        zero.run();
        zeroAgain.run();

        assertThat(points.committable()).isEqualTo(Map.of(0, 16L));
        assertThat(points.waiting()).isEqualTo(1);
    }

    @Test
    void aTransactionMarkerPassedOverCommitsOnlyBehindTheBatchesBeforeIt() {
        CommitPoints points = new CommitPoints();
        Runnable records = points.polled(2, 50); // the last record at 49, a commit marker at 50 not yet passed
        points.polled(2, 51).run(); // a poll without records passed the marker

        assertThat(points.committable()).as("the records before the marker are not written yet").isEmpty();
        records.run();
        assertThat(points.committable()).isEqualTo(Map.of(2, 51L));
    }

    @Test
    void aPartitionGivenUpCommitsNothingHereEvenWhenItsBatchIsWrittenLater() {
        CommitPoints points = new CommitPoints();
        Runnable late = points.polled(3, 42);

        points.forget(List.of(3));
        late.run();

        assertThat(points.committable()).isEmpty();
        Runnable again = points.polled(3, 42); // assigned back: replayed from its committed offset
        again.run();
        assertThat(points.committable()).isEqualTo(Map.of(3, 42L));
    }
}
