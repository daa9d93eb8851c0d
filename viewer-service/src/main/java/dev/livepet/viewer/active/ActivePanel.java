package dev.livepet.viewer.active;

import dev.livepet.viewer.active.rules.TreatPurse;
import dev.livepet.viewer.player.Player;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One browser's Active Pets panel: who is looking at it, on which pet's page, with how many treats. One frame is in
 * flight at a time and a newer one replaces a waiting one, so a slow browser gets the latest panel, not a backlog;
 * a panel that would look the same is not sent, so a button is never swapped under a player's pointer for nothing.
 */
final class ActivePanel {
    private static final Logger LOG = Logger.getLogger(ActivePanel.class);

    final String id;
    final Player player;
    final OptionalLong page;
    private final Function<String, Uni<Void>> send;
    // guarded by this
    private TreatPurse purse;
    private String waiting;
    private String shown;
    private boolean sending;
    private boolean closed;

    ActivePanel(String id, Player player, OptionalLong page, TreatPurse purse,
                Function<String, Uni<Void>> send) {
        this.id = id;
        this.player = player;
        this.page = page;
        this.purse = purse;
        this.send = send;
    }

    synchronized TreatPurse purse() {
        return purse;
    }

    /** Takes {@code next} if it is news; true when the panel should be drawn again. */
    synchronized boolean purseChanged(TreatPurse next) {
        if (!purse.isOlderThan(next)) {
            return false;
        }
        purse = next;
        return true;
    }

    void show(String fragment) {
        synchronized (this) {
            if (closed) {
                return;
            }
            // what the browser shows (or is being sent) already: a waiting older panel is dropped, nothing sent
            waiting = fragment.equals(shown) ? null : fragment;
            if (waiting == null) {
                return;
            }
            if (sending) {
                return;
            }
            sending = true;
        }
        sendWaiting();
    }

    synchronized void close() {
        closed = true;
        waiting = null;
    }

    private void sendWaiting() {
        String fragment;
        synchronized (this) {
            if (closed || waiting == null) {
                sending = false;
                return;
            }
            fragment = waiting;
            waiting = null;
            shown = fragment;
        }
        Uni<Void> sent;
        try {
            sent = send.apply(fragment);
        } catch (RuntimeException e) {
            LOG.debugf("an Active Pets panel was not sent: %s", e);
            sendWaiting();
            return;
        }
        sent.subscribe().with(ok -> sendWaiting(), failure -> sendWaiting());
    }
}
