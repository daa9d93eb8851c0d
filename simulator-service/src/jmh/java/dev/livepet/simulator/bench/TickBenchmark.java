package dev.livepet.simulator.bench;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One tick of a world of {@code pets} pets in the default partition count, as the simulator's tick transaction builds it: every
 * partition's clock advances, its deaths at that tick are published as died events, then its tick record, all written
 * by the contract's codec. The pets' ages are spread so that {@code pets / 10,000} of them die at each tick (1,000 at
 * 10 M); a tick costs its deaths, not its pets. One batch is 1,000 ticks (the world has deaths for 10,000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, batchSize = 1_000)
@Measurement(iterations = 5, batchSize = 1_000)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class TickBenchmark {
    private static final int AGE_SPREAD = 10_000;

    @Param("10000000")
    public int pets;

    private final List<PetPartition> partitions = new ArrayList<>();
    private WorldRules rules;
    private Blackhole blackhole;
    private final PetChangeSink encode = (partition, event) -> blackhole.consume(PetStateCodec.write(event));

    @Setup(Level.Trial)
    public void world() {
        rules = WorldRules.original();
        for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
            partitions.add(new PetPartition(p, rules, 10_000, pets / Topics.DEFAULT_PARTITIONS + 1_000));
        }
        for (long id = 1; id <= pets; id++) {
            // pet i dies at tick (i % spread) + 1
            int age = rules.maxAge() - (int) (id % AGE_SPREAD);
            PetPartition home = partitions.get(PetPartitioner.partitionOf(id, Topics.DEFAULT_PARTITIONS));
            home.restore(new PetState(id, null, SeedPets.name(id), SeedPets.species(id), age, 250, true, 1,
                    Cause.ADOPTED, 0, 0, null));
        }
        partitions.forEach(PetPartition::trimToSize);
    }

    @Benchmark
    public int tickEveryPartitionAndEncode(Blackhole bh) {
        blackhole = bh;
        long at = System.currentTimeMillis();
        int died = 0;
        for (PetPartition partition : partitions) {
            died += partition.tick(at, encode);
            bh.consume(PetStateCodec.write(new PartitionTick(partition.partition(), Topics.DEFAULT_PARTITIONS,
                    partition.clock().tick(), at, rules.tickRule())));
        }
        return died;
    }
}
