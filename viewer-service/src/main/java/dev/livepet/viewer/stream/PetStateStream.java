package dev.livepet.viewer.stream;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.WorldPartitions;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pet-state stream from the moment this instance started, as {@code PetStateConsumer} reads it, on its one thread:
 * an event of a watched pet replaces its state and shows it at once; a tick record of partition p advances the
 * watched pets of p, and only those, by the tick rule and shows each that changed. The states of one poll are shown
 * off this thread, in order per pet ({@link ShowLanes}).
 */
@ApplicationScoped
public class PetStateStream {
    private static final Logger LOG = Logger.getLogger(PetStateStream.class);

    private final PetWatches watches;
    private final StreamClocks clocks;
    private final RecentEvents recent;
    private final CatchingUp catchingUp;
    private final ShowLanes lanes;
    private final EventTracing tracing;
    private final FeedsInFlight feeds;
    // this poll's states to show; the stream's thread only
    private final List<ShowLanes.Shown> shown = new ArrayList<>();
    // per partition whose newest tick record named another partition count: why
    private final Map<Integer, String> mismatches = new ConcurrentHashMap<>();

    public PetStateStream(PetWatches watches, StreamClocks clocks, RecentEvents recent, CatchingUp catchingUp,
                          ShowLanes lanes, EventTracing tracing, FeedsInFlight feeds) {
        this.watches = watches;
        this.clocks = clocks;
        this.recent = recent;
        this.catchingUp = catchingUp;
        this.lanes = lanes;
        this.tracing = tracing;
        this.feeds = feeds;
    }

    /** Every partition of pet-state is assigned: this many. */
    public void assigned(int partitions) {
        clocks.assigned(partitions);
        watches.placeAll();
    }

    /** A pet's event, without record headers. */
    public void event(PetState event) {
        event(event, null);
    }

    /**
     * A pet's event and its record's headers: a traced event (a player's command) continues its trace while it is
     * shown, and the event of a feed this instance sent is timed to its frame.
     */
    public void event(PetState event, Headers headers) {
        recent.saw(event);
        long sentAt = feeds.arrived(event.command());
        WatchedPet pet = watches.watched(event.id());
        if (pet == null) {
            return;
        }
        Span span = tracing.reading(tracing.carried(headers), event.id(), event.command());
        if (pet.latest() == null) {
            LOG.debugf("the first state of pet %d here: version %d at tick %d", event.id(), event.version(), event.tick());
        }
        PetState kept = pet.event(clocks.bringUp(event));
        if (kept != null) {
            shown.add(new ShowLanes.Shown(pet, kept, span, sentAt));
        } else if (span != null) {
            EventTracing.shown(span, 0); // older than what its watchers have: shown to nobody
        }
    }

    /**
     * A partition's tick; false when it is not of this world (it names another partition count) and was not
     * applied.
     */
    public boolean tick(PartitionTick tick) {
        String mismatch = WorldPartitions.mismatch(clocks.partitions(), tick.partitions());
        if (mismatch != null) {
            if (mismatches.put(tick.partition(), mismatch) == null) {
                LOG.errorf("tick %d of partition %d is not of this world, the live stream is not ready: %s",
                        tick.tick(), tick.partition(), mismatch);
            }
            return false;
        }
        if (mismatches.remove(tick.partition()) != null) {
            LOG.infof("partition %d ticks with %d partitions again", tick.partition(), tick.partitions());
        }
        // the clock first: a state arriving from PostgreSQL meanwhile is brought to this tick either here or there
        clocks.ticked(tick);
        catchingUp.ticked(tick, watches.of(tick.partition()));
        for (WatchedPet pet : watches.of(tick.partition())) {
            PetState advanced = pet.advance(tick);
            if (advanced != null) {
                shown.add(new ShowLanes.Shown(pet, advanced));
            }
        }
        return true;
    }

    /** The stream skipped records of the partition unread (it fell behind). */
    public void skipped(int partition) {
        catchingUp.skipped(partition, watches.of(partition));
    }

    /** At the end of each poll: hands its states to the lanes that show them. */
    public void show() {
        if (!shown.isEmpty()) {
            lanes.show(List.copyOf(shown));
            shown.clear();
        }
    }

    /**
     * Why this stream is not the world's, or null: a partition's newest tick named another partition count than
     * pet-state has.
     */
    public String mismatch() {
        return mismatches.values().stream().findFirst().orElse(null);
    }

    /** The stream found, at its start, that the world's recorded partition count is not pet-state's. */
    public void mismatched(String why) {
        mismatches.put(-1, why);
    }
}
