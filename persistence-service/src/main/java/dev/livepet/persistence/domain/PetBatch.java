package dev.livepet.persistence.domain;

import com.carrotsearch.hppc.LongObjectHashMap;
import com.carrotsearch.hppc.cursors.ObjectCursor;
import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.WorldPartitions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One poll of {@code pet-state} read and coalesced: per pet only its newest event, per partition only its newest
 * tick, and the records that can never be used set apart with their reason. Coalescing also keeps each pet and each
 * partition to one row of its upsert, which PostgreSQL requires of {@code INSERT … ON CONFLICT DO UPDATE}.
 * A tick that names another partition count than the topic's is no poison but a wrong world: the batch says why,
 * and none of it may be written.
 */
public final class PetBatch {
    // the years a pets or partition_clocks time is given in: PostgreSQL and its client both hold them, while a time
    // far beyond would fail every attempt to write its batch, and the consumer would retry it forever
    private static final long EARLIEST_TIME = -62_135_596_800_000L; // 0001-01-01T00:00:00Z
    private static final long LATEST_TIME = 253_402_300_799_999L;   // 9999-12-31T23:59:59.999Z

    private final int records;
    private final List<LatestEvent> events;
    private final List<PartitionTick> clocks;
    private final List<DeadLetter> poison;
    private final String worldMismatch;

    private PetBatch(int records, List<LatestEvent> events, List<PartitionTick> clocks, List<DeadLetter> poison,
                     String worldMismatch) {
        this.records = records;
        this.events = events;
        this.clocks = clocks;
        this.poison = poison;
        this.worldMismatch = worldMismatch;
    }

    /**
     * Reads every record with the contract's codec, where it lies among {@code partitions} partitions.
     *
     * @param partitions the topic's partition count
     */
    public static PetBatch coalesce(Collection<StateRecord> records, int partitions) {
        LongObjectHashMap<LatestEvent> byPet = new LongObjectHashMap<>(records.size());
        Map<Integer, PartitionTick> byPartition = new TreeMap<>(); // in partition order: every write locks clocks alike
        List<DeadLetter> poison = new ArrayList<>();
        String worldMismatch = null;
        for (StateRecord record : records) {
            PetStateRecord read;
            try {
                read = PetStateCodec.read(record.key(), record.value(), record.partition(), partitions);
            } catch (PoisonRecordException e) {
                poison.add(record.refused(e.getMessage()));
                continue;
            }
            if (read instanceof PetState event) {
                if (!storable(event.at())) {
                    poison.add(record.refused(unstorable("pet " + event.id(), event.at())));
                    continue;
                }
                int slot = byPet.indexOf(event.id());
                if (byPet.indexExists(slot)) {
                    byPet.indexReplace(slot, byPet.indexGet(slot).merge(LatestEvent.of(event, record)));
                } else {
                    byPet.indexInsert(slot, event.id(), LatestEvent.of(event, record));
                }
            } else if (read instanceof PartitionTick tick) {
                String mismatch = WorldPartitions.mismatch(partitions, tick.partitions());
                if (mismatch != null) {
                    worldMismatch = worldMismatch == null ? mismatch : worldMismatch;
                } else if (!storable(tick.at())) {
                    poison.add(record.refused(unstorable("the tick of partition " + tick.partition(), tick.at())));
                } else {
                    byPartition.merge(tick.partition(), tick, (held, next) -> next.tick() > held.tick() ? next : held);
                }
            }
        }
        List<LatestEvent> events = new ArrayList<>(byPet.size());
        for (ObjectCursor<LatestEvent> pet : byPet.values()) {
            events.add(pet.value);
        }
        return new PetBatch(records.size(), List.copyOf(events), List.copyOf(byPartition.values()), List.copyOf(poison),
                worldMismatch);
    }

    private static boolean storable(long time) {
        return time >= EARLIEST_TIME && time <= LATEST_TIME;
    }

    private static String unstorable(String what, long time) {
        return what + ": its time " + time + " is outside the years 1 to 9999 that PostgreSQL is given";
    }

    /** How many records the batch had, usable or not. */
    public int records() {
        return records;
    }

    /** The newest event of every pet in the batch, one per pet, in no particular order. */
    public List<LatestEvent> events() {
        return events;
    }

    /** The newest tick of every partition in the batch, one per partition, in partition order. */
    public List<PartitionTick> clocks() {
        return clocks;
    }

    /** Records that can never be used, each with the reason. */
    public List<DeadLetter> poison() {
        return poison;
    }

    /**
     * Why none of this batch may be written ({@link WorldPartitions#mismatch}: a tick of a world with another partition
     * count), or null when it may.
     */
    public String worldMismatch() {
        return worldMismatch;
    }
}
