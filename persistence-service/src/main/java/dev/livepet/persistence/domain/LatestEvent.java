package dev.livepet.persistence.domain;

import dev.livepet.contract.PetState;

/**
 * The newest event of one pet within a batch.
 *
 * @param event   the event with the highest version seen for this pet
 * @param record  the record that carried it, kept so that a refused write can go to the dead letters unchanged
 * @param firstAt the earliest event time seen for this pet: the pet's birth time if this is its first write
 */
public record LatestEvent(PetState event, StateRecord record, long firstAt) {

    static LatestEvent of(PetState event, StateRecord record) {
        return new LatestEvent(event, record, event.at());
    }

    /** The higher version wins; on a tie (a duplicate) the one seen first stays. */
    LatestEvent merge(LatestEvent other) {
        LatestEvent newer = other.event.version() > event.version() ? other : this;
        return new LatestEvent(newer.event, newer.record, Math.min(firstAt, other.firstAt));
    }
}
