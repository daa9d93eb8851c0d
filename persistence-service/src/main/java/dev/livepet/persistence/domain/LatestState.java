package dev.livepet.persistence.domain;

import dev.livepet.contract.PetState;

/**
 * The newest state of one pet within a batch.
 *
 * @param state     the snapshot with the highest version seen for this pet
 * @param record    the record that carried it, kept so that a refused write can go to the dead letters unchanged
 * @param firstAt   the earliest event time seen for this pet: the pet's birth time if this is its first write
 * @param lifecycle whether any change of this pet in the batch was a lifecycle change (not a tick): such a pet
 *                  must reach PostgreSQL at once even when its newest change is a tick
 */
public record LatestState(PetState state, StateRecord record, long firstAt, boolean lifecycle) {

    static LatestState of(PetState state, StateRecord record) {
        return new LatestState(state, record, state.at(), state.cause().isLifecycle());
    }

    /** The higher version wins; on a tie (a duplicate) the one seen first stays. */
    LatestState merge(LatestState other) {
        LatestState newer = other.state.version() > state.version() ? other : this;
        return new LatestState(newer.state, newer.record, Math.min(firstAt, other.firstAt), lifecycle || other.lifecycle);
    }
}
