package dev.livepet.viewer.pages.rules;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Whether a request failed because PostgreSQL was out of reach (its connections refused or lost), not because of
 * anything in the request or a fault of ours: the page then says so and asks for a moment, and the viewer stays in
 * its Service.
 */
public final class OutOfReach {
    // the reactive client's own: a pooled connection the database closed under it
    private static final Set<String> LOST = Set.of("io.vertx.sqlclient.ClosedConnectionException");

    private OutOfReach() {
    }

    public static boolean is(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof ConnectException || t instanceof ClosedChannelException
                    || LOST.contains(t.getClass().getName())) {
                return true;
            }
        }
        return false;
    }
}
