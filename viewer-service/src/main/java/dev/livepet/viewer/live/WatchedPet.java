package dev.livepet.viewer.live;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.PetState;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicReference;

/** A pet some browser of this instance watches (or that it just adopted): its viewers and newest state. */
final class WatchedPet {
    // few viewers per pet, changed rarely, iterated on every state: copy on write
    final Set<LiveViewer> viewers = new CopyOnWriteArraySet<>();
    private final AtomicReference<PetState> latest = new AtomicReference<>();
    /** adoptions of this pet still held; changed only inside the map's compute, which serialises it */
    int holds;
    /** what this instance asked for when it adopted the pet; names a hatching pet */
    volatile AdoptCommand adoption;

    /** Keeps {@code state} if it is the newest yet and shows it to every viewer. */
    void offer(PetState state) {
        PetState newest = latest.updateAndGet(old -> old == null || state.version() > old.version() ? state : old);
        if (newest == state) {
            for (LiveViewer viewer : viewers) {
                viewer.offer(state);
            }
        }
    }

    PetState latest() {
        return latest.get();
    }

    boolean idle() {
        return viewers.isEmpty() && holds == 0;
    }
}
