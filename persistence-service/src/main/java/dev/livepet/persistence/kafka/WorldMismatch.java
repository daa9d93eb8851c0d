package dev.livepet.persistence.kafka;

/**
 * The topics and the world's ticks disagree on the partition count ({@link dev.livepet.contract.WorldPartitions}):
 * writing on would file pets under the wrong partition's clock, so the service does not start, or stops consuming.
 */
public class WorldMismatch extends IllegalStateException {
    public WorldMismatch(String why) {
        super(why);
    }
}
