package dev.livepet.viewer.world;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.viewer.stream.Census;
import dev.livepet.viewer.world.rules.TickLateness;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what this viewer reads of pet-state: pets' events (births are adopted events, deaths died ones) and
 * partitions' ticks, and how late each partition ticks, measured from the tick records themselves. The stream's one
 * thread counts; the dashboard drains the counts once per sample.
 */
@ApplicationScoped
public class WorldCensus implements Census {
    private final LongAdder events = new LongAdder();
    private final LongAdder births = new LongAdder();
    private final LongAdder deaths = new LongAdder();
    private final LongAdder ticks = new LongAdder();
    private final AtomicLong latenessMax = new AtomicLong();
    private final LongAdder latenessSum = new LongAdder();
    private final LongAdder latenessCount = new LongAdder();
    private final TickLateness lateness;
    private long windowStart = System.nanoTime();

    public WorldCensus(DashboardConfig config) {
        lateness = new TickLateness(config.tickInterval().toMillis(), config.stoppedAfter().toMillis());
    }

    /** A pet's event, on the stream's thread. */
    @Override
    public void event(PetState event) {
        events.increment();
        if (event.cause() == Cause.ADOPTED) {
            births.increment();
        } else if (event.cause() == Cause.DIED) {
            deaths.increment();
        }
    }

    /** A partition's tick, on the stream's thread. */
    @Override
    public void tick(PartitionTick tick) {
        ticks.increment();
        long late = lateness.tick(tick.partition(), tick.tick(), tick.at());
        if (late >= 0) {
            latenessMax.accumulateAndGet(late, Math::max);
            latenessSum.add(late);
            latenessCount.increment();
        }
    }

    /** What was seen since the last drain; starts a new window. */
    public synchronized CensusWindow drain() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - windowStart) / 1e9);
        windowStart = now;
        long ticksMeasured = latenessCount.sumThenReset();
        long latenessTotal = latenessSum.sumThenReset();
        long max = latenessMax.getAndSet(0);
        return new CensusWindow(seconds, events.sumThenReset(), ticks.sumThenReset(), births.sumThenReset(),
                deaths.sumThenReset(), ticksMeasured, ticksMeasured == 0 ? null : max,
                ticksMeasured == 0 ? null : (double) latenessTotal / ticksMeasured);
    }

    /**
     * @param events             pets' events read in the window
     * @param ticks              partitions' tick records read in the window
     * @param ticksMeasured      ticks whose lateness could be measured (each follows its partition's previous one)
     * @param latenessMaxMillis  the latest tick of the window, null when none was measured
     * @param latenessMeanMillis the mean lateness of the measured ticks, null when none was measured
     */
    public record CensusWindow(double seconds, long events, long ticks, long births, long deaths, long ticksMeasured,
                               Long latenessMaxMillis, Double latenessMeanMillis) {
        public double eventsPerSecond() {
            return events / seconds;
        }

        public double ticksPerSecond() {
            return ticks / seconds;
        }

        public double birthsPerMinute() {
            return births * 60 / seconds;
        }

        public double deathsPerMinute() {
            return deaths * 60 / seconds;
        }
    }
}
