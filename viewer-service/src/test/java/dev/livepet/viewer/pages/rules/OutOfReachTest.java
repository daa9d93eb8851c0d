package dev.livepet.viewer.pages.rules;

import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class OutOfReachTest {

    @Test
    void aRefusedOrLostConnectionAnywhereInTheChainIsOutOfReach() {
        assertThat(OutOfReach.is(new ConnectException("Connection refused"))).isTrue();
        assertThat(OutOfReach.is(new CompletionException(new IllegalStateException(
                new ConnectException("Connection refused"))))).as("wrapped as Hibernate Reactive wraps it").isTrue();
        assertThat(OutOfReach.is(ClosedConnectionException.INSTANCE)).isTrue();
    }

    @Test
    void anythingElseIsNot() {
        assertThat(OutOfReach.is(new IllegalStateException("a bug"))).isFalse();
        assertThat(OutOfReach.is(new CompletionException(new NullPointerException()))).isFalse();
        assertThat(OutOfReach.is(null)).isFalse();
    }

    @Test
    void aCauseThatLoopsEndsTheSearch() {
        RuntimeException looping = new RuntimeException() {
            @Override
            public synchronized Throwable getCause() {
                return this;
            }
        };
        assertThat(OutOfReach.is(looping)).isFalse();
    }
}
