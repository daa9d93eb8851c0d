package dev.livepet.persistence.domain;

import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PoisonRecordException;

import com.carrotsearch.hppc.LongObjectHashMap;
import com.carrotsearch.hppc.cursors.ObjectCursor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One poll of {@code pet-state} coalesced: per pet only its highest version, and the records that can never be
 * read set apart with their reason. Coalescing also keeps one pet to one row of the batch upsert, which
 * PostgreSQL requires of {@code INSERT … ON CONFLICT DO UPDATE}.
 */
public final class PetBatch {
    private final int records;
    private final List<LatestState> latest;
    private final List<LatestState> lifecycle;
    private final List<LatestState> ticksOnly;
    private final List<DeadLetter> poison;

    private PetBatch(int records, List<LatestState> latest, List<LatestState> lifecycle, List<LatestState> ticksOnly,
                     List<DeadLetter> poison) {
        this.records = records;
        this.latest = latest;
        this.lifecycle = lifecycle;
        this.ticksOnly = ticksOnly;
        this.poison = poison;
    }

    public static PetBatch coalesce(Collection<StateRecord> records) {
        LongObjectHashMap<LatestState> byPet = new LongObjectHashMap<>(records.size());
        List<DeadLetter> poison = new ArrayList<>();
        for (StateRecord record : records) {
            PetState state;
            try {
                state = PetJson.state(record.value());
            } catch (PoisonRecordException e) {
                poison.add(new DeadLetter(record, e.getMessage()));
                continue;
            }
            if (!state.key().equals(record.key())) {
                // compaction keeps one record per key: a state under another pet's key would shadow that pet
                poison.add(new DeadLetter(record, "record key '" + PoisonRecordException.excerpt(record.key())
                        + "' is not the id of pet " + state.id()));
                continue;
            }
            int slot = byPet.indexOf(state.id());
            if (byPet.indexExists(slot)) {
                byPet.indexReplace(slot, byPet.indexGet(slot).merge(LatestState.of(state, record)));
            } else {
                byPet.indexInsert(slot, state.id(), LatestState.of(state, record));
            }
        }
        List<LatestState> latest = new ArrayList<>(byPet.size());
        List<LatestState> lifecycle = new ArrayList<>();
        List<LatestState> ticksOnly = new ArrayList<>(byPet.size());
        for (ObjectCursor<LatestState> pet : byPet.values()) {
            latest.add(pet.value);
            (pet.value.lifecycle() ? lifecycle : ticksOnly).add(pet.value);
        }
        return new PetBatch(records.size(), List.copyOf(latest), List.copyOf(lifecycle), List.copyOf(ticksOnly),
                List.copyOf(poison));
    }

    /** How many records the batch had, readable or not. */
    public int records() {
        return records;
    }

    /** The newest state of every pet in the batch, one per pet. */
    public List<LatestState> latest() {
        return latest;
    }

    /** The pets with a lifecycle change in this batch (adopted, fed, treat, died): the lane that must show at once. */
    public List<LatestState> lifecycle() {
        return lifecycle;
    }

    /** The pets that only ticked in this batch: the lane that may wait for the next flush. */
    public List<LatestState> ticksOnly() {
        return ticksOnly;
    }

    /** Records that can never be read, each with the reason. */
    public List<DeadLetter> poison() {
        return poison;
    }
}
