package dev.livepet.simulator.bench;

import dev.livepet.contract.Topics;
import dev.livepet.simulator.domain.PetChangeSink;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.PetStateJson;
import dev.livepet.simulator.domain.SeedPets;
import dev.livepet.simulator.domain.WorldRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * One whole tick interval of a million seeded pets in 24 partitions: every slice of every partition, as the
 * simulator loop runs it, with the records either encoded to JSON (what publishing costs before Kafka) or not.
 * One operation ticks every pet once; 5 s is the budget at the original's tick interval.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class TickBenchmark {
    private static final int SLICES = 50;

    @Param("1000000")
    public int pets;

    private final List<PetPartition> partitions = new ArrayList<>();
    private final PetStateJson json = new PetStateJson();
    private final long at = System.currentTimeMillis();
    private Blackhole blackhole;
    private final PetChangeSink encode = (p, slot, cause, when, command) ->
            blackhole.consume(json.write(p, slot, cause, when, command));
    private final PetChangeSink count = (p, slot, cause, when, command) -> blackhole.consume(slot);

    @Setup(Level.Trial)
    public void seed() {
        // pets live long enough never to die during the benchmark
        WorldRules rules = WorldRules.original();
        WorldRules immortal = new WorldRules(rules.tickInterval(), 1, 5, 500, 65_000, 100, 20, 250, 3, 100);
        int[][] ids = SeedPets.idsByPartition(pets, Topics.DEFAULT_PARTITIONS);
        for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
            PetPartition partition = new PetPartition(p, immortal, 10_000);
            partition.seed(ids[p], at, (x, slot, cause, when, command) -> { });
            partitions.add(partition);
        }
    }

    @Benchmark
    public int tickEveryPetAndEncode(Blackhole bh) {
        blackhole = bh;
        return tickAll(encode);
    }

    @Benchmark
    public int tickEveryPet(Blackhole bh) {
        blackhole = bh;
        return tickAll(count);
    }

    private int tickAll(PetChangeSink sink) {
        int ticked = 0;
        for (int slice = 0; slice < SLICES; slice++) {
            for (PetPartition partition : partitions) {
                ticked += partition.tickSlice(slice, SLICES, at, sink);
            }
        }
        return ticked;
    }
}
