package dev.livepet.simulator.domain;

import dev.livepet.contract.PetState;

/** Hears every event of a partition's pets, synchronously and in order, to publish it. */
@FunctionalInterface
public interface PetChangeSink {
    void changed(int partition, PetState event);
}
