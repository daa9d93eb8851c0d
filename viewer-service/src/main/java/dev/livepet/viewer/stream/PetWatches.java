package dev.livepet.viewer.stream;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.PetState;
import dev.livepet.viewer.stream.rules.StateOrder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pets this instance's browsers watch, by id and by partition, each with its newest state: an event is looked up
 * by its pet, a partition's tick goes to that partition's watched pets only. Registration and removal run inside the
 * map's compute so that a pet is never removed while a viewer is being added.
 */
@ApplicationScoped
public class PetWatches {
    private final ConcurrentHashMap<Long, WatchedPet> pets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Set<WatchedPet>> byPartition = new ConcurrentHashMap<>();
    private final StreamClocks clocks;
    private final RecentEvents recent;
    private final Vertx vertx;

    public PetWatches(StreamClocks clocks, RecentEvents recent, Vertx vertx, MeterRegistry metrics) {
        this.clocks = clocks;
        this.recent = recent;
        this.vertx = vertx;
        Gauge.builder("livepet.viewer.watched.pets", pets, ConcurrentHashMap::size)
                .description("pets this instance keeps from the pet-state stream")
                .register(metrics);
    }

    /** Adds a viewer of the pet and returns the newest state known here, which the viewer has not been shown. */
    public Optional<PetState> watch(long petId, LiveViewer viewer) {
        WatchedPet pet = pets.compute(petId, (id, watched) -> {
            WatchedPet p = watched == null ? fresh(id) : watched;
            p.viewers.add(viewer);
            return p;
        });
        placeIfKnown(petId);
        // read after adding: a state offered meanwhile reaches the viewer one way or the other (the order dedupes)
        return Optional.ofNullable(pet.latest());
    }

    public void unwatch(long petId, LiveViewer viewer) {
        pets.computeIfPresent(petId, (id, pet) -> {
            pet.viewers.remove(viewer);
            return keepUnlessIdle(pet);
        });
    }

    /**
     * Watches a pet this instance is about to adopt, for {@code howLong}, so that its first state is kept even
     * though no browser has connected yet.
     */
    public void holdForAdoption(AdoptCommand adoption, Duration howLong) {
        long petId = adoption.petId();
        pets.compute(petId, (id, watched) -> {
            WatchedPet p = watched == null ? fresh(id) : watched;
            p.holds++;
            p.adoption = adoption;
            return p;
        });
        placeIfKnown(petId);
        vertx.setTimer(Math.max(1, howLong.toMillis()), timer -> pets.computeIfPresent(petId, (id, pet) -> {
            pet.holds--;
            return keepUnlessIdle(pet);
        }));
    }

    /**
     * Shows a state that came from elsewhere than the stream (PostgreSQL) to the pet's viewers, brought to its
     * partition's tick, if it is newer than what they have.
     */
    public void offer(PetState state) {
        WatchedPet pet = pets.get(state.id());
        if (pet == null) {
            return;
        }
        PetState kept = pet.merge(clocks.bringUp(state));
        if (kept != null) {
            pet.show(kept);
        }
        // the stream may have ticked the partition while this state was on its way, and found no state to advance
        PetState latest = pet.latest();
        if (latest != null) {
            PetState caughtUp = pet.merge(clocks.bringUp(latest));
            if (caughtUp != null) {
                pet.show(caughtUp);
            }
        }
    }

    /** The newest state this instance saw of a watched pet. */
    public Optional<PetState> latest(long petId) {
        WatchedPet pet = pets.get(petId);
        return pet == null ? Optional.empty() : Optional.ofNullable(pet.latest());
    }

    /**
     * The newest of a state read from PostgreSQL and what the stream holds of the pet (its watched state, its recent
     * event, which PostgreSQL may not have yet), brought to its partition's tick.
     */
    public Optional<PetState> newest(long petId, Optional<PetState> stored) {
        PetState newest = StateOrder.newest(stored.orElse(null), latest(petId).orElse(null));
        newest = StateOrder.newest(newest, recent.of(petId).orElse(null));
        return Optional.ofNullable(newest).map(clocks::bringUp);
    }

    /**
     * The adoption of a pet this instance adopted recently. Callers ask when they found no state of it, and its
     * first may arrive just after they looked: so this does not depend on whether a state is here by now.
     */
    public Optional<AdoptCommand> hatching(long petId) {
        WatchedPet pet = pets.get(petId);
        return pet == null ? Optional.empty() : Optional.ofNullable(pet.adoption);
    }

    /** The watched pet of this id, or null: the stream's filter for events. */
    WatchedPet watched(long petId) {
        return pets.get(petId);
    }

    /** The watched pets of a partition: a tick record costs as many as they are, not all watched pets. */
    Collection<WatchedPet> of(int partition) {
        Set<WatchedPet> group = byPartition.get(partition);
        return group == null ? Set.of() : group;
    }

    /** Once the stream knows the partition count: groups the pets watched before it did. */
    void placeAll() {
        pets.keySet().forEach(this::placeIfKnown);
    }

    public int size() {
        return pets.size();
    }

    // a pet newly watched starts from the stream's recent event of it, if any: newer than PostgreSQL's row
    private WatchedPet fresh(long petId) {
        WatchedPet pet = new WatchedPet(petId);
        recent.of(petId).ifPresent(event -> pet.merge(clocks.bringUp(event)));
        return pet;
    }

    // inside the pet's compute, so that it joins its partition's group only while it is watched
    private void placeIfKnown(long petId) {
        int partition = clocks.partitionOf(petId);
        if (partition >= 0) {
            pets.computeIfPresent(petId, (id, pet) -> {
                byPartition.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(pet);
                return pet;
            });
        }
    }

    private WatchedPet keepUnlessIdle(WatchedPet pet) {
        if (!pet.idle()) {
            return pet;
        }
        int partition = clocks.partitionOf(pet.id);
        if (partition >= 0) {
            Set<WatchedPet> group = byPartition.get(partition);
            if (group != null) {
                group.remove(pet);
            }
        }
        return null;
    }
}
