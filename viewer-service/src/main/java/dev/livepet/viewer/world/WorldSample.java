package dev.livepet.viewer.world;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One look at the world, as the dashboard's browsers get it (JSON). A figure this instance could not get this time
 * is null, never a made-up zero.
 *
 * @param at               when it was taken, epoch milliseconds
 * @param seconds          the window the counts cover, since the previous sample
 * @param births           pets adopted in the window (adopted events)
 * @param deaths           pets that died in the window (died events)
 * @param events           pets' events on pet-state in the window
 * @param ticks            partitions' tick records on pet-state in the window
 * @param alive            living pets in PostgreSQL
 * @param dead             dead pets in PostgreSQL
 * @param tickLatenessMax  the latest tick of the window, milliseconds beyond the tick interval
 * @param tickLatenessMean the mean lateness of the window's ticks, milliseconds
 * @param owners           which simulator instance owns which pet-commands partitions
 * @param persistenceLag   pet-state records the persistence service has not committed yet
 * @param viewerLag        pet-state records this viewer has not read yet
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WorldSample(long at, double seconds, long births, long deaths, long events, long ticks, Long alive,
                          Long dead, double birthsPerMinute, double deathsPerMinute, double eventsPerSecond,
                          double ticksPerSecond, Long tickLatenessMax, Double tickLatenessMean,
                          List<PartitionOwner> owners, Long persistenceLag, Long viewerLag) {

    /** A simulator instance and the partitions it owns. */
    public record PartitionOwner(String instance, List<Integer> partitions) {
    }
}
