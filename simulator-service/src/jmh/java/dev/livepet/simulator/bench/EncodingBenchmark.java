package dev.livepet.simulator.bench;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.simulator.domain.PetChangeSink;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.SeedPets;
import dev.livepet.simulator.domain.WorldRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One record of pet-state each: a pet's event built from the partition and written by the contract's codec, a meal
 * applied (the pet's state derived at the clock, the event built and written), a partition's tick record written, and
 * an event read back as a restore reads it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class EncodingBenchmark {
    private static final long AT = 1_700_000_000_000L;

    private PetPartition pets;
    private int seeded;
    private int adopted;
    private long meals;
    private byte[] seededEvent;
    private final PetChangeSink written = (partition, event) -> PetStateCodec.write(event);

    @Setup
    public void pets() {
        pets = new PetPartition(0, WorldRules.original(), 100);
        int[] ids = SeedPets.idsByPartition(1_000, 1)[0];
        pets.seed(ids, 0, ids.length, AT, (p, event) -> { });
        seeded = pets.slotOf(777);
        pets.adopt(new AdoptCommand("adopt-1", 5_000_000_001L, "player-0042", "Sir Wobbles the Third", Species.SEA_TURTLE),
                AT, (p, event) -> { });
        adopted = pets.slotOf(5_000_000_001L);
        for (int t = 0; t < 40; t++) {
            pets.tick(AT + t, (p, event) -> { });
        }
        seededEvent = PetStateCodec.write(pets.event(seeded, Cause.ADOPTED, AT, null));
    }

    @Benchmark
    public byte[] seededPetsEvent() {
        return PetStateCodec.write(pets.event(seeded, Cause.ADOPTED, AT, null));
    }

    @Benchmark
    public byte[] adoptedPetsEvent() {
        return PetStateCodec.write(pets.event(adopted, Cause.FED, AT, "feed-0123456789"));
    }

    @Benchmark
    public Object mealAppliedAndWritten() {
        return pets.feed(new FeedCommand("meal-" + meals++, 5_000_000_001L, Food.TREAT, "player-0042"), AT, written);
    }

    @Benchmark
    public byte[] tickRecord() {
        return PetStateCodec.write(new PartitionTick(0, 24, 40, AT, WorldRules.original().tickRule()));
    }

    @Benchmark
    public PetState eventReadBack() {
        return PetStateCodec.readState(seededEvent);
    }
}
