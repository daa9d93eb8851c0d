package dev.livepet.viewer.stream;

import dev.livepet.contract.PetState;
import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.stream.rules.StateOrder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every pet's newest event the stream read lately, watched or not. PostgreSQL holds an event a moment after it
 * happened (the persistence service reads and writes it first): a pet first watched meanwhile gets this event, not its
 * older row. Bounded by age and by count; the stream's thread writes, pages and sockets read.
 */
@ApplicationScoped
public class RecentEvents {
    private final long windowNanos;
    private final int max;
    // oldest first: an event read again moves to the end
    private final LinkedHashMap<Long, Seen> events = new LinkedHashMap<>();

    @Inject
    public RecentEvents(ViewerConfig config) {
        this(config.stream().recentEvents().toNanos(), config.stream().recentEventsMax());
    }

    RecentEvents(long windowNanos, int max) {
        this.windowNanos = windowNanos;
        this.max = max;
    }

    /** On the stream's thread, for every event read. */
    void saw(PetState event) {
        saw(event, System.nanoTime());
    }

    synchronized void saw(PetState event, long nowNanos) {
        Seen before = events.remove(event.id());
        PetState newest = before == null ? event : StateOrder.newest(before.event(), event);
        events.put(event.id(), new Seen(newest, nowNanos));
        Iterator<Map.Entry<Long, Seen>> oldest = events.entrySet().iterator();
        while (oldest.hasNext()) {
            Seen seen = oldest.next().getValue();
            if (events.size() <= max && nowNanos - seen.readAt() <= windowNanos) {
                break;
            }
            oldest.remove();
        }
    }

    /** The pet's newest event read within the window. */
    public Optional<PetState> of(long petId) {
        return of(petId, System.nanoTime());
    }

    synchronized Optional<PetState> of(long petId, long nowNanos) {
        Seen seen = events.get(petId);
        return seen == null || nowNanos - seen.readAt() > windowNanos ? Optional.empty() : Optional.of(seen.event());
    }

    synchronized int size() {
        return events.size();
    }

    private record Seen(PetState event, long readAt) {
    }
}
