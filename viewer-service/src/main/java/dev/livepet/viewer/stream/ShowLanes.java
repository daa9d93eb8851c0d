package dev.livepet.viewer.stream;

import dev.livepet.contract.PetState;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the stream's states are rendered and sent, off its thread: lanes on the worker pool, each running its batches
 * one at a time, in order. A pet always goes to the same lane, so its browsers are offered its states in the order the
 * stream read them and no tick is dropped for an older one; lanes run side by side.
 */
@ApplicationScoped
public class ShowLanes {
    private static final Logger LOG = Logger.getLogger(ShowLanes.class);

    private final Lane[] lanes;

    @Inject
    public ShowLanes(FeedsInFlight feeds) {
        this(Infrastructure.getDefaultWorkerPool(), Runtime.getRuntime().availableProcessors(), feeds);
    }

    ShowLanes(Executor pool, int count, FeedsInFlight feeds) {
        lanes = new Lane[Math.max(1, count)];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(pool, feeds);
        }
    }

    /**
     * A state to show a watched pet's browsers.
     *
     * @param span   the span of showing a traced event, ended once it is handed to the sockets; null for the rest
     * @param sentAt when this instance sent the command of the event (nanoTime), or -1
     */
    record Shown(WatchedPet pet, PetState state, Span span, long sentAt) {
        Shown(WatchedPet pet, PetState state) {
            this(pet, state, null, -1);
        }
    }

    /** Shows one poll's states, each pet's in the order given; never waits. */
    void show(List<Shown> shown) {
        List<List<Shown>> byLane = new ArrayList<>(lanes.length);
        for (int i = 0; i < lanes.length; i++) {
            byLane.add(null);
        }
        for (Shown one : shown) {
            int lane = Math.floorMod(Long.hashCode(one.pet().id), lanes.length);
            List<Shown> batch = byLane.get(lane);
            if (batch == null) {
                batch = new ArrayList<>();
                byLane.set(lane, batch);
            }
            batch.add(one);
        }
        for (int i = 0; i < lanes.length; i++) {
            if (byLane.get(i) != null) {
                lanes[i].submit(byLane.get(i));
            }
        }
    }

    private static final class Lane {
        private final Executor pool;
        private final FeedsInFlight feeds;
        private final Queue<List<Shown>> batches = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();

        Lane(Executor pool, FeedsInFlight feeds) {
            this.pool = pool;
            this.feeds = feeds;
        }

        void submit(List<Shown> batch) {
            batches.add(batch);
            if (draining.compareAndSet(false, true)) {
                pool.execute(this::drain);
            }
        }

        private void drain() {
            do {
                List<Shown> batch;
                while ((batch = batches.poll()) != null) {
                    for (Shown one : batch) {
                        int watchers = 0;
                        try {
                            watchers = one.pet().show(one.state());
                        } catch (RuntimeException e) {
                            // whatever one state does, the lane (and every other pet in it) goes on
                            LOG.warnf("could not show pet %d: %s", one.pet().id, e.toString());
                        }
                        if (one.span() != null) {
                            EventTracing.shown(one.span(), watchers);
                        }
                        if (one.sentAt() >= 0 && watchers > 0) {
                            feeds.shown(one.sentAt());
                        }
                    }
                }
                draining.set(false);
                // a batch submitted after the last poll but before the flag cleared is drained here, by one of us
            } while (!batches.isEmpty() && draining.compareAndSet(false, true));
        }
    }
}
