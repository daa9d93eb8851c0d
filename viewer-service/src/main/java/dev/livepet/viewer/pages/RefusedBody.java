package dev.livepet.viewer.pages;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The rest of a body refused while it streams in: the answer is already sent, and what still arrives is counted and
 * thrown away for a moment before the connection is closed. Closing with unread bytes resets the connection at once,
 * and a proxy still forwarding the body then loses the answer and reports its own 502 instead. The moment is bounded
 * in time and in bytes, so that a client that never stops sending is still cut off long before a gigabyte.
 */
final class RefusedBody {
    static final long LINGER_MILLIS = 2_000;
    static final long LINGER_BYTES = 16L << 20;

    private final RoutingContext ctx;
    private long discarded;
    private long timer = -1;
    private boolean closed;

    private RefusedBody(RoutingContext ctx) {
        this.ctx = ctx;
    }

    /** Starts discarding: call once the answer is written; the request's handlers are taken over from here. */
    static void discardThenClose(RoutingContext ctx) {
        RefusedBody rest = new RefusedBody(ctx);
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            rest.close();
            return;
        }
        request.handler(chunk -> rest.discard(chunk.length()));
        request.endHandler(end -> rest.close());
        request.exceptionHandler(broken -> rest.close());
        rest.timer = ctx.vertx().setTimer(LINGER_MILLIS, late -> rest.close());
        request.resume();
    }

    private void discard(int bytes) {
        discarded += bytes;
        if (discarded > LINGER_BYTES) {
            close();
        }
    }

    // the request's handlers and the timer all run on the connection's event loop
    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        ctx.vertx().cancelTimer(timer);
        HttpConnection connection = ctx.request().connection();
        connection.close();
    }
}
