package dev.livepet.viewer.stream;

import dev.livepet.contract.PetState;
import dev.livepet.viewer.stream.rules.StateOrder;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.function.Function;

/**
 * One browser watching one pet. At most one send is in flight; states that arrive meanwhile replace each
 * other in a single pending slot, so a slow browser gets the latest state rather than a backlog, and a
 * state never follows a newer one ({@link StateOrder}: a higher version, or the same version at a later tick).
 */
public final class LiveViewer {
    private static final Logger LOG = Logger.getLogger(LiveViewer.class);

    private final Function<PetState, String> render;
    private final Function<String, Uni<Void>> send;
    // guarded by this
    private PetState pending;
    private PetState sent;
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
            if (closed || !StateOrder.newer(state, sent) || (pending != null && !StateOrder.newer(state, pending))) {
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
        return sent == null ? 0 : sent.version();
    }

    private PetState takePending() {
        PetState next = pending;
        pending = null;
        sent = next;
        return next;
    }

    private void deliver(PetState state) {
        Uni<Void> taken;
        try {
            taken = send.apply(render.apply(state));
        } catch (RuntimeException e) {
            LOG.warnf("could not show version %d, tick %d of pet %d: %s", state.version(), state.tick(), state.id(),
                    e.toString());
            sendNext();
            return;
        }
        taken.subscribe().with(ok -> sendNext(), failure -> {
            LOG.debugf("a browser did not take version %d, tick %d of pet %d: %s", state.version(), state.tick(),
                    state.id(), failure);
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
