package dev.livepet.viewer.live;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pets this instance's browsers watch, by record key, each with its newest state. It is the stream's filter:
 * a pet-state record whose key is not here is dropped unparsed. Registration and removal run inside the map's
 * compute so that a pet is never removed while a viewer is being added.
 */
@ApplicationScoped
public class PetWatches {
    private final ConcurrentHashMap<String, WatchedPet> pets = new ConcurrentHashMap<>();
    private final Vertx vertx;

    public PetWatches(Vertx vertx, MeterRegistry metrics) {
        this.vertx = vertx;
        Gauge.builder("livepet.viewer.watched.pets", pets, ConcurrentHashMap::size)
                .description("pets this instance keeps from the pet-state stream")
                .register(metrics);
    }

    /** Adds a viewer of the pet and returns the newest state known here, which the viewer has not been shown. */
    public Optional<PetState> watch(long petId, LiveViewer viewer) {
        WatchedPet pet = pets.compute(PetPartitioner.key(petId), (key, watched) -> {
            WatchedPet p = watched == null ? new WatchedPet() : watched;
            p.viewers.add(viewer);
            return p;
        });
        // read after adding: a state offered meanwhile reaches the viewer one way or the other (versions dedupe)
        return Optional.ofNullable(pet.latest());
    }

    public void unwatch(long petId, LiveViewer viewer) {
        pets.computeIfPresent(PetPartitioner.key(petId), (key, pet) -> {
            pet.viewers.remove(viewer);
            return pet.idle() ? null : pet;
        });
    }

    /**
     * Watches a pet this instance is about to adopt, for {@code howLong}, so that its first state is kept even
     * though no browser has connected yet.
     */
    public void holdForAdoption(AdoptCommand adoption, Duration howLong) {
        String key = PetPartitioner.key(adoption.petId());
        pets.compute(key, (k, watched) -> {
            WatchedPet p = watched == null ? new WatchedPet() : watched;
            p.holds++;
            p.adoption = adoption;
            return p;
        });
        vertx.setTimer(Math.max(1, howLong.toMillis()), timer -> pets.computeIfPresent(key, (k, pet) -> {
            pet.holds--;
            return pet.idle() ? null : pet;
        }));
    }

    /** Shows a state that came from elsewhere than the stream (PostgreSQL) to the pet's viewers, if it is newer. */
    public void offer(PetState state) {
        WatchedPet pet = pets.get(state.key());
        if (pet != null) {
            pet.offer(state);
        }
    }

    /** The newest state this instance saw of a watched pet. */
    public Optional<PetState> latest(long petId) {
        WatchedPet pet = pets.get(PetPartitioner.key(petId));
        return pet == null ? Optional.empty() : Optional.ofNullable(pet.latest());
    }

    /**
     * The adoption of a pet this instance adopted recently. Callers ask when they found no state of it, and its
     * first may arrive just after they looked: so this does not depend on whether a state is here by now.
     */
    public Optional<AdoptCommand> hatching(long petId) {
        WatchedPet pet = pets.get(PetPartitioner.key(petId));
        return pet == null ? Optional.empty() : Optional.ofNullable(pet.adoption);
    }

    /** The watched pet under a record key, or null: the stream's filter, before any parsing. */
    WatchedPet watched(String key) {
        return key == null ? null : pets.get(key);
    }

    public int size() {
        return pets.size();
    }
}
