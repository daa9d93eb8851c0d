package dev.livepet.persistence.domain;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchesInFlightTest {

    @Test
    void theNextPollIsTakenWhileFewerThanTheLimitAreBeingWritten() {
        BatchesInFlight batches = new BatchesInFlight(2);
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();

        assertThat(done(batches.admit(first))).as("one of two in flight: read on").isTrue();
        CompletionStage<Void> room = batches.admit(second);
        assertThat(done(room)).as("two of two in flight: wait").isFalse();
        assertThat(batches.writing()).isEqualTo(2);

        second.complete(null); // a younger batch finishing first does not make room: the oldest is waited for
        assertThat(done(room)).isFalse();
        first.complete(null);
        assertThat(done(room)).isTrue();
        assertThat(batches.writing()).isZero();
    }

    @Test
    void aFinishedBatchLeavesRoomAndAFailedOneToo() {
        BatchesInFlight batches = new BatchesInFlight(2);
        CompletableFuture<Void> failed = new CompletableFuture<>();
        batches.admit(failed);
        CompletionStage<Void> room = batches.admit(new CompletableFuture<>());

        failed.completeExceptionally(new IllegalStateException("PostgreSQL refused"));

        assertThat(done(room)).isTrue();
        assertThat(room.toCompletableFuture().isCompletedExceptionally()).isFalse();
        assertThat(batches.writing()).isEqualTo(1);
        assertThat(done(batches.admit(CompletableFuture.completedFuture(null)))).isTrue();
    }

    @Test
    void withALimitOfOneEachBatchIsWrittenBeforeTheNextIsRead() {
        BatchesInFlight batches = new BatchesInFlight(1);
        CompletableFuture<Void> write = new CompletableFuture<>();

        CompletionStage<Void> room = batches.admit(write);

        assertThat(done(room)).isFalse();
        write.complete(null);
        assertThat(done(room)).isTrue();
        assertThatThrownBy(() -> new BatchesInFlight(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }

    private static boolean done(CompletionStage<Void> stage) {
        return stage.toCompletableFuture().isDone();
    }
}
