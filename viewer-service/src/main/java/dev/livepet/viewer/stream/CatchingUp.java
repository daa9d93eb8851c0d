package dev.livepet.viewer.stream;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * After the stream skipped records of a partition, an event of any of its watched pets may have been among them. Those
 * pets are in doubt: they show no tick, since what it would show may be wrong. At every tick of the partition they are
 * read again from pets_now, and once PostgreSQL's clock of the partition has reached the first tick read after the
 * skip (it then holds every event skipped), each pet takes its row (the newer wins), brought to the stream's tick.
 * An event of a pet read meanwhile settles it too: it is newer than anything skipped.
 */
@ApplicationScoped
public class CatchingUp {
    private static final Logger LOG = Logger.getLogger(CatchingUp.class);

    private final PetRepository pets;
    private final PartitionClocks stored;
    private final StreamClocks clocks;
    private final Counter reads;
    private final Counter behind;
    private final AtomicLong skips = new AtomicLong();
    private final Map<Integer, Skip> skipped = new ConcurrentHashMap<>();
    private final Set<Integer> reading = ConcurrentHashMap.newKeySet();

    public CatchingUp(PetRepository pets, PartitionClocks stored, StreamClocks clocks, MeterRegistry registry) {
        this.pets = pets;
        this.stored = stored;
        this.clocks = clocks;
        this.reads = Counter.builder("livepet.viewer.stream.rereads")
                .description("watched pets of skipped partitions read again from PostgreSQL once it held what was skipped")
                .register(registry);
        this.behind = Counter.builder("livepet.viewer.stream.rereads.behind")
                .description("reads again of skipped partitions that found PostgreSQL not there yet (tried at the next tick)")
                .register(registry);
    }

    /** On the stream's thread: it skipped records of the partition, where these pets are watched. */
    void skipped(int partition, Collection<WatchedPet> watched) {
        long skip = skips.incrementAndGet();
        watched.forEach(pet -> pet.doubt(skip));
        skipped.put(partition, new Skip(skip, 0));
    }

    /** On the stream's thread, once the tick is its partition's newest: reads the pets in doubt again. */
    void ticked(PartitionTick tick, Collection<WatchedPet> watched) {
        int partition = tick.partition();
        Skip skip = skipped.get(partition);
        if (skip == null) {
            return;
        }
        if (skip.firstTick() == 0) {
            skip = new Skip(skip.number(), tick.tick());
            skipped.put(partition, skip);
        }
        List<WatchedPet> doubted = watched.stream().filter(WatchedPet::inDoubt).toList();
        if (doubted.isEmpty()) {
            skipped.remove(partition, skip);
            return;
        }
        if (!reading.add(partition)) {
            return; // the read of the last tick is still under way
        }
        Skip asked = skip;
        stored.tick(partition)
                .flatMap(clock -> clock < asked.firstTick() ? Uni.createFrom().<List<PetState>>nullItem()
                        : pets.states(doubted.stream().map(pet -> pet.id).toList()))
                .subscribe().with(rows -> {
                    reading.remove(partition);
                    if (rows == null) {
                        behind.increment();
                        return;
                    }
                    settle(asked, doubted, rows);
                    skipped.remove(partition, asked);
                    reads.increment();
                }, failure -> {
                    reading.remove(partition);
                    LOG.warnf("could not read the pets of skipped partition %d again (next tick tries again): %s",
                            partition, failure.toString());
                });
    }

    private void settle(Skip skip, List<WatchedPet> doubted, List<PetState> rows) {
        Map<Long, PetState> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.id(), row));
        for (WatchedPet pet : doubted) {
            PetState row = byId.get(pet.id);
            // while still in doubt, so that no tick advances the old state before the row is in
            PetState kept = row == null ? null : pet.merge(clocks.bringUp(row));
            pet.settle(skip.number());
            if (kept != null) {
                pet.show(kept);
            }
            // the ticks read while it was in doubt
            PetState latest = pet.latest();
            PetState caughtUp = latest == null ? null : pet.merge(clocks.bringUp(latest));
            if (caughtUp != null) {
                pet.show(caughtUp);
            }
        }
    }

    /** The skip numbered {@code number} of a partition, and the first tick read after it (0 until then). */
    private record Skip(long number, long firstTick) {
    }
}
