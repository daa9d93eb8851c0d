package dev.livepet.viewer.live;

import dev.livepet.contract.PetState;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.function.Function;

/**
 * One browser watching one pet. At most one send is in flight; states that arrive meanwhile replace each
 * other in a single pending slot, so a slow browser gets the latest state rather than a backlog, and a
 * version never follows a newer one.
 */
public final class LiveViewer {
    private static final Logger LOG = Logger.getLogger(LiveViewer.class);

    private final Function<PetState, String> render;
    private final Function<String, Uni<Void>> send;
    // guarded by this
    private PetState pending;
    private long sentVersion;
    private boolean sending;
    private boolean closed;

    /**
     * @param render turns a state into the HTML fragment this browser sees
     * @param send   sends a fragment; its Uni completes when the socket took it
     */
    public LiveViewer(Function<PetState, String> render, Function<String, Uni<Void>> send) {
        this.render = render;
        this.send = send;
    }

    /** Shows {@code state} unless this browser already has it or a newer one; never waits. */
    public void offer(PetState state) {
        PetState next;
        synchronized (this) {
            if (closed || state.version() <= sentVersion
                    || (pending != null && state.version() <= pending.version())) {
                return;
            }
            pending = state;
            if (sending) {
                return;
            }
            sending = true;
            next = takePending();
        }
        deliver(next);
    }

    public void close() {
        synchronized (this) {
            closed = true;
            pending = null;
        }
    }

    /** The version this browser was last sent (0 before the first); for tests and logs. */
    public synchronized long sentVersion() {
        return sentVersion;
    }

    private PetState takePending() {
        PetState next = pending;
        pending = null;
        sentVersion = next.version();
        return next;
    }

    private void deliver(PetState state) {
        Uni<Void> sent;
        try {
            sent = send.apply(render.apply(state));
        } catch (RuntimeException e) {
            LOG.warnf("could not show version %d of pet %d: %s", state.version(), state.id(), e.toString());
            sendNext();
            return;
        }
        sent.subscribe().with(ok -> sendNext(), failure -> {
            LOG.debugf("a browser did not take version %d of pet %d: %s", state.version(), state.id(), failure);
            sendNext();
        });
    }

    private void sendNext() {
        PetState next;
        synchronized (this) {
            if (closed || pending == null) {
                sending = false;
                return;
            }
            next = takePending();
        }
        deliver(next);
    }
}
