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
    void aCommandTheBrokerDidNotTakeInTimeIsThePostOutOfReach() {
        assertThat(OutOfReach.of(new CompletionException(new org.apache.kafka.common.errors.TimeoutException(
                "Expiring 1 record(s) for pet-commands-3: 15001 ms has passed since batch creation"))))
                .contains(OutOfReach.Part.POST);
        assertThat(OutOfReach.of(new ConnectException("Connection refused"))).contains(OutOfReach.Part.RECORDS);
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
