package dev.livepet.viewer.stream;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.TickRule;
import dev.livepet.viewer.stream.rules.StateOrder;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A pet some browser of this instance watches (or that it just adopted): its viewers and newest state. The newest
 * state only ever moves forward ({@link StateOrder}), whichever thread offers one: the stream's (events, ticks) or a
 * PostgreSQL answer.
 */
final class WatchedPet {
    private static final Logger LOG = Logger.getLogger(WatchedPet.class);

    final long id;
    // few viewers per pet, changed rarely, iterated on every state: copy on write
    final Set<LiveViewer> viewers = new CopyOnWriteArraySet<>();
    private final AtomicReference<PetState> latest = new AtomicReference<>();
    // the skip of the stream that may have hidden an event of this pet; 0 when none did
    private final AtomicLong doubt = new AtomicLong();
    /** adoptions of this pet still held; changed only inside the map's compute, which serialises it */
    int holds;
    /** what this instance asked for when it adopted the pet; names a hatching pet */
    volatile AdoptCommand adoption;

    WatchedPet(long id) {
        this.id = id;
    }

    /** Keeps {@code state} if it is newer than the newest; returns it then, else null. */
    PetState merge(PetState state) {
        while (true) {
            PetState old = latest.get();
            if (!StateOrder.newer(state, old)) {
                return null;
            }
            if (latest.compareAndSet(old, state)) {
                return state;
            }
        }
    }

    /** An event of the pet read from the stream; returns the state to show, or null (an older event, a replay). */
    PetState event(PetState event) {
        PetState kept = merge(event);
        if (kept != null) {
            // the newest event there is: whatever a skip hid is older
            doubt.set(0);
        }
        return kept;
    }

    /**
     * A tick of the pet's partition; returns the state to show, or null: no state yet, dead, not after it, or in
     * doubt after a skip (what it would show may be wrong until PostgreSQL says).
     */
    PetState advance(PartitionTick tick) {
        while (doubt.get() == 0) {
            PetState before = latest.get();
            if (before == null) {
                return null;
            }
            PetState after = TickRule.stateAt(before, tick);
            if (after == before) {
                return null;
            }
            if (latest.compareAndSet(before, after)) {
                return after;
            }
        }
        return null;
    }

    /** The stream skipped records of the pet's partition: an event of it may be among them. */
    void doubt(long skip) {
        doubt.set(skip);
    }

    boolean inDoubt() {
        return doubt.get() != 0;
    }

    /** PostgreSQL holds everything up to and past skip {@code skip}: the doubt it raised is settled. */
    void settle(long skip) {
        doubt.compareAndSet(skip, 0);
    }

    /**
     * Shows a state to every viewer; a viewer that already has it or a newer one takes nothing. Returns how many
     * viewers it was offered to.
     */
    int show(PetState state) {
        int offered = 0;
        for (LiveViewer viewer : viewers) {
            offered++;
            try {
                viewer.offer(state);
            } catch (RuntimeException e) {
                // one browser's failure never keeps the state from the others
                LOG.warnf("could not show pet %d to a browser: %s", id, e.toString());
            }
        }
        return offered;
    }

    PetState latest() {
        return latest.get();
    }

    boolean idle() {
        return viewers.isEmpty() && holds == 0;
    }
}
