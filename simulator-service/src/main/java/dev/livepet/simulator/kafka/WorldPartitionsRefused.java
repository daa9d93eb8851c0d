package dev.livepet.simulator.kafka;

import dev.livepet.contract.WorldPartitions;

/**
 * The topics have another partition count than the world's snapshots or ticks recorded: the simulator must not go on,
 * since every pet would be looked for in the wrong partition. The message is {@link WorldPartitions#mismatch}'s.
 */
public final class WorldPartitionsRefused extends RuntimeException {
    WorldPartitionsRefused(String mismatch) {
        super(mismatch);
    }

    /** The refusal among {@code failure} and its causes (a rebalance listener's exception comes out of poll wrapped). */
    static WorldPartitionsRefused in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WorldPartitionsRefused refused) {
                return refused;
            }
        }
        return null;
    }
}
