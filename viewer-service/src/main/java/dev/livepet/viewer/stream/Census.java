package dev.livepet.viewer.stream;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;

/**
 * What counts the records the consumer reads, on the stream's one thread. The world's dashboard keeps the count;
 * the stream only tells it, so that the stream need not know the dashboard that watches it.
 */
public interface Census {
    /** A pet's event. */
    void event(PetState event);

    /** A partition's tick. */
    void tick(PartitionTick tick);
}
