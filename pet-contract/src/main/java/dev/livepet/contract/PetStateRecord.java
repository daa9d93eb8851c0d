package dev.livepet.contract;

/** A record of {@link Topics#PET_STATE}: a pet's event ({@link PetState}) or a partition's tick ({@link PartitionTick}). */
public sealed interface PetStateRecord permits PetState, PartitionTick {
}
