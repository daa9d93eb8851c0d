package dev.livepet.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures the benchmarks print: latency percentiles over chunks, tick lateness from buckets, frame matching. */
class BenchFiguresTest {

    @Test
    void percentilesSpanEveryChunkAndStartWhereAsked() {
        BenchLatencies latencies = new BenchLatencies();
        int n = 200_000; // more than three chunks of 65,536
        for (int i = n; i >= 1; i--) {
            latencies.record(i);
        }
        assertThat(latencies.total()).isEqualTo(n);
        long[] all = latencies.snapshot(0);
        assertThat(BenchLatencies.percentile(all, 0.5)).isEqualTo("100000 ms");
        assertThat(BenchLatencies.percentile(all, 0.99)).isEqualTo("198000 ms");
        assertThat(BenchLatencies.percentile(all, 1.0)).isEqualTo("200000 ms");
        // the recorded order was n … 1: after the first n − 10 only 10 … 1 remain
        assertThat(latencies.snapshot(n - 10)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(BenchLatencies.percentile(new long[0], 0.5)).isEqualTo("n/a");
    }

    @Test
    void requestsNeverSentRankAboveEveryAnswer() {
        long[] answered = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100}; // 10 answers, sorted

        assertThat(BenchLatencies.percentile(answered, 0, 0.99)).isEqualTo("100 ms");
        assertThat(BenchLatencies.percentile(answered, 10, 0.5)).isEqualTo("100 ms");
        assertThat(BenchLatencies.percentile(answered, 10, 0.51)).isEqualTo("not sent");
        assertThat(BenchLatencies.percentile(answered, 1, 0.8)).isEqualTo("90 ms");
        assertThat(BenchLatencies.percentile(answered, 1, 0.99)).isEqualTo("not sent");
        assertThat(BenchLatencies.percentile(new long[0], 5, 0.5)).isEqualTo("not sent");
        assertThat(BenchLatencies.percentile(new long[0], 0, 0.5)).isEqualTo("n/a");
    }

    @Test
    void tickLatenessCountsOnlyTheTicksBetweenTwoScrapes() {
        String name = "livepet_simulator_tick_lateness_seconds";
        Map<String, Double> before = Map.of(name + "_count", 100.0,
                name + "_bucket{le=\"0.001\"}", 100.0, name + "_bucket{le=\"0.1\"}", 100.0,
                name + "_bucket{le=\"1.0\"}", 100.0, name + "_bucket{le=\"+Inf\"}", 100.0);
        // 1,000 ticks later: 900 within 1 ms, 95 more within 100 ms, 4 within 1 s, 1 later still
        Map<String, Double> after = Map.of(name + "_count", 1100.0,
                name + "_bucket{le=\"0.001\"}", 1000.0, name + "_bucket{le=\"0.1\"}", 1095.0,
                name + "_bucket{le=\"1.0\"}", 1099.0, name + "_bucket{le=\"+Inf\"}", 1100.0);
        TickLateness lateness = TickLateness.between(before, after, 100);
        assertThat(lateness.count()).isEqualTo(1000.0);
        assertThat(lateness.onTimePercent()).isEqualTo(99.5);
        assertThat(lateness.p50()).isEqualTo("≤ 1 ms");
        assertThat(lateness.p99()).isEqualTo("≤ 100 ms");
        assertThat(TickLateness.between(after, after, 100).p99()).isEqualTo("n/a");
    }

    @Test
    void aFrameMatchesItsStateByPetVersionAndTickWhicheverComesFirstAndOnlyItsOwn() {
        BenchLatencies latencies = new BenchLatencies();
        FrameMatch match = new FrameMatch(latencies::record);
        match.started(7, 3, 40, 1_000);    // the state first
        match.arrived(7, 3, 40, 1_250);
        match.arrived(8, 1, 12, 2_400);    // the frame first
        match.started(8, 1, 12, 2_000);
        match.started(7, 4, 40, 3_000);    // an event at tick 40 ...
        match.arrived(7, 4, 41, 3_900);    // ... whose own frame never came: the next tick's frame is another frame
        match.arrived(9, 1, 5, 5_000);     // a frame nobody times
        assertThat(latencies.snapshot(0)).containsExactly(250, 400);
        assertThat(match.unshown()).isEqualTo(1);
        match.forgetArrivalsBefore(6_000);
        match.started(9, 1, 5, 4_000);     // its frame was forgotten: it waits again
        assertThat(latencies.total()).isEqualTo(2);
        assertThat(match.unshown()).isEqualTo(2);
        match.forgetStartsBefore(3_500);   // given up on, still unshown
        match.arrived(7, 4, 40, 9_000);    // too late to be timed
        assertThat(latencies.total()).isEqualTo(2);
        assertThat(match.unshown()).isEqualTo(2);
    }
}
