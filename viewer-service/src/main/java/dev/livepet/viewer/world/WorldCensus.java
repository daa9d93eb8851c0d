package dev.livepet.viewer.world;

import dev.livepet.contract.Cause;
import dev.livepet.viewer.config.DashboardConfig;
import dev.livepet.viewer.domain.StatePeek;
import dev.livepet.viewer.domain.TickGaps;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every pet-state record this viewer reads, by cause, and follows a sample of pets for tick lateness. Only
 * the cause (and, for sampled ticks, the event time) is read from the bytes; nothing is parsed. The dashboard drains
 * the counts once per sample.
 */
@ApplicationScoped
public class WorldCensus {
    private final LongAdder[] byCause = new LongAdder[Cause.values().length];
    private final LongAdder changes = new LongAdder();
    private final AtomicLong latenessMax = new AtomicLong();
    private final LongAdder latenessSum = new LongAdder();
    private final LongAdder latenessCount = new LongAdder();
    private final TickGaps gaps;
    private long windowStart = System.nanoTime();

    public WorldCensus(DashboardConfig config) {
        for (int i = 0; i < byCause.length; i++) {
            byCause[i] = new LongAdder();
        }
        gaps = new TickGaps(config.tickInterval().toMillis(), config.stoppedAfter().toMillis(),
                config.tickSampleEvery(), config.tickSampleMaxPets());
    }

    /** Called on the stream's one thread for every record it reads. */
    public void saw(ConsumerRecord<String, byte[]> record) {
        changes.increment();
        Cause cause = StatePeek.cause(record.value());
        if (cause == null) {
            return;
        }
        byCause[cause.ordinal()].increment();
        if (!gaps.sampled(record.key())) {
            return;
        }
        if (cause == Cause.TICK) {
            long late = gaps.tick(record.key(), StatePeek.at(record.value()));
            if (late >= 0) {
                latenessMax.accumulateAndGet(late, Math::max);
                latenessSum.add(late);
                latenessCount.increment();
            }
        } else if (cause == Cause.DIED) {
            gaps.forget(record.key());
        }
    }

    /** Records the stream skipped unread (it fell behind): changes all the same, of no known cause. */
    public void skipped(long records) {
        changes.add(records);
    }

    /** What was seen since the last drain; starts a new window. */
    public synchronized CensusWindow drain() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - windowStart) / 1e9);
        windowStart = now;
        long[] counts = new long[byCause.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = byCause[i].sumThenReset();
        }
        long ticksMeasured = latenessCount.sumThenReset();
        long latenessTotal = latenessSum.sumThenReset();
        long max = latenessMax.getAndSet(0);
        return new CensusWindow(seconds, changes.sumThenReset(), counts[Cause.ADOPTED.ordinal()],
                counts[Cause.DIED.ordinal()], ticksMeasured,
                ticksMeasured == 0 ? null : max, ticksMeasured == 0 ? null : (double) latenessTotal / ticksMeasured);
    }

    /**
     * @param latenessMaxMillis  the latest sampled tick of the window, null when none was measured
     * @param latenessMeanMillis the mean lateness of the sampled ticks, null when none was measured
     */
    public record CensusWindow(double seconds, long changes, long births, long deaths, long ticksMeasured,
                               Long latenessMaxMillis, Double latenessMeanMillis) {
        public double changesPerSecond() {
            return changes / seconds;
        }

        public double birthsPerMinute() {
            return births * 60 / seconds;
        }

        public double deathsPerMinute() {
            return deaths * 60 / seconds;
        }
    }
}
