package dev.livepet.viewer.pages.rules;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a request failed because PostgreSQL or the broker was out of reach (connections refused or lost, a command
 * the broker did not take in time), not because of anything in the request or a fault of ours: the page then says
 * which, and asks for a moment; the viewer stays in its Service.
 */
public final class OutOfReach {
    /** What was out of reach: the pets' records (PostgreSQL) or the commands' post (the broker). */
    public enum Part { RECORDS, POST }

    // the reactive client's own: a pooled connection the database closed under it
    private static final Set<String> LOST = Set.of("io.vertx.sqlclient.ClosedConnectionException");
    // the producer's: a command not acknowledged within delivery.timeout.ms, or no metadata within max.block.ms
    private static final Set<String> UNSENT = Set.of("org.apache.kafka.common.errors.TimeoutException");

    private OutOfReach() {
    }

    public static boolean is(Throwable failure) {
        return of(failure).isPresent();
    }

    public static Optional<Part> of(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (UNSENT.contains(t.getClass().getName())) {
                return Optional.of(Part.POST);
            }
            if (t instanceof ConnectException || t instanceof ClosedChannelException
                    || LOST.contains(t.getClass().getName())) {
                return Optional.of(Part.RECORDS);
            }
        }
        return Optional.empty();
    }
}
