package dev.livepet.simulator.domain;

import dev.livepet.contract.Cause;

/**
 * Hears every change of a pet, synchronously and in order. The pet's new state is read from {@code pets} at
 * {@code index} before returning, so a change costs no object until the listener decides how to publish it.
 */
@FunctionalInterface
public interface PetChangeSink {
    void changed(PetPartition pets, int index, Cause cause, long at, String commandId);
}
