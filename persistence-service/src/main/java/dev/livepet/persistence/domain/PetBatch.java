package dev.livepet.persistence.domain;

import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PoisonRecordException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One poll of {@code pet-state} coalesced: per pet only its highest version, and the records that can never be
 * read set apart with their reason. Coalescing also keeps one pet to one row of the batch upsert, which
 * PostgreSQL requires of {@code INSERT … ON CONFLICT DO UPDATE}.
 */
public final class PetBatch {
    private final int records;
    private final List<LatestState> latest;
    private final List<DeadLetter> poison;

    private PetBatch(int records, List<LatestState> latest, List<DeadLetter> poison) {
        this.records = records;
        this.latest = latest;
        this.poison = poison;
    }

    public static PetBatch coalesce(Collection<StateRecord> records) {
        Map<Long, LatestState> byPet = new HashMap<>();
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
                poison.add(new DeadLetter(record, "record key '" + record.key() + "' is not the id of pet " + state.id()));
                continue;
            }
            byPet.merge(state.id(), LatestState.of(state, record), LatestState::merge);
        }
        return new PetBatch(records.size(), List.copyOf(byPet.values()), List.copyOf(poison));
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
        return latest.stream().filter(LatestState::lifecycle).toList();
    }

    /** The pets that only ticked in this batch: the lane that may wait for the next flush. */
    public List<LatestState> ticksOnly() {
        return latest.stream().filter(s -> !s.lifecycle()).toList();
    }

    /** Records that can never be read, each with the reason. */
    public List<DeadLetter> poison() {
        return poison;
    }
}
