package dev.livepet.simulator.bench;

import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Topics;
import dev.livepet.simulator.domain.PetChangeSink;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.SeedPets;
import dev.livepet.simulator.domain.WorldRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Seeding a new world of {@code pets} ownerless pets in the default partition count, in the simulator's steps of
 * {@code IDS_PER_TRANSACTION} ids: each pet created in its partition, its adopted event built and written by the
 * contract's codec (all a seeding transaction costs before Kafka). One operation seeds the whole world; pets per second
 * is {@code pets} divided by its time. The teardown prints the heap estimate per pet of the seeded partitions and the
 * pets seeded per second of the benchmark thread's CPU time, which other processes on a busy machine do not skew.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class SeedBenchmark {
    private static final int IDS_PER_TRANSACTION = 250_000;

    @Param("10000000")
    public int pets;

    private int[][] ids;
    private List<PetPartition> partitions;
    private Blackhole blackhole;
    private long bytes;
    private long cpuNanos;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final PetChangeSink encode = (partition, event) -> {
        byte[] value = PetStateCodec.write(event);
        bytes += value.length;
        blackhole.consume(PetStateCodec.key(event.id()));
        blackhole.consume(value);
    };

    @Setup(Level.Trial)
    public void ids() {
        ids = SeedPets.idsByPartition(pets, Topics.DEFAULT_PARTITIONS);
    }

    @Setup(Level.Iteration)
    public void emptyWorld() {
        partitions = new ArrayList<>();
        for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
            partitions.add(new PetPartition(p, WorldRules.original(), 10_000));
        }
        bytes = 0;
    }

    @Benchmark
    public long seedTheWorldAndEncodeEveryEvent(Blackhole bh) {
        blackhole = bh;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long at = System.currentTimeMillis();
        long seeded = 0;
        for (PetPartition partition : partitions) {
            int[] mine = ids[partition.partition()];
            for (int from = 0; from < mine.length; from += IDS_PER_TRANSACTION) {
                seeded += partition.seed(mine, from, Math.min(mine.length, from + IDS_PER_TRANSACTION), at, encode);
            }
            partition.trimToSize();
        }
        cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        return seeded;
    }

    @TearDown(Level.Iteration)
    public void report() {
        long heap = partitions.stream().mapToLong(PetPartition::heapBytes).sum();
        long count = partitions.stream().mapToLong(PetPartition::size).sum();
        System.out.printf("%n  %,d pets seeded, heap estimate %.1f bytes per pet, %.0f bytes per adopted event,"
                + " %,.0f pets per second of CPU%n", count, (double) heap / count, (double) bytes / count, count / (cpuNanos / 1e9));
    }
}
