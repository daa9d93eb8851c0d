package dev.livepet.simulator.bench;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateReader;
import dev.livepet.contract.Species;
import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.PetStateJson;
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

/** One pet's snapshot written and read back: the simulator's hand-written JSON against the contract's Jackson. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class EncodingBenchmark {
    // Jackson's data binding alone, as a consumer without the contract's fast reader would read a state
    private static final com.fasterxml.jackson.databind.ObjectMapper JACKSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final long AT = 1_700_000_000_000L;

    private final PetStateJson json = new PetStateJson();
    private PetPartition pets;
    private int seeded;
    private int adopted;
    private byte[] seededJson;

    @Setup
    public void pets() {
        pets = new PetPartition(0, WorldRules.original(), 100);
        pets.seed(1_000, 1, AT, (p, slot, cause, at, command) -> { });
        seeded = pets.slotOf(777);
        pets.adopt(new AdoptCommand("adopt-1", 5_000_000_001L, "player-0042", "Sir Wobbles the Third", Species.SEA_TURTLE),
                AT, (p, slot, cause, at, command) -> { });
        adopted = pets.slotOf(5_000_000_001L);
        seededJson = json.write(pets, seeded, Cause.TICK, AT, null);
    }

    @Benchmark
    public PetState readSeededPetByHand() {
        return PetStateReader.read(seededJson);
    }

    @Benchmark
    public PetState readSeededPetByJackson() throws java.io.IOException {
        return JACKSON.readValue(seededJson, PetState.class);
    }

    @Benchmark
    public byte[] seededPetByHand() {
        return json.write(pets, seeded, Cause.TICK, AT, null);
    }

    @Benchmark
    public byte[] seededPetByJackson() {
        return PetJson.write(pets.snapshot(seeded, Cause.TICK, AT, null));
    }

    @Benchmark
    public byte[] adoptedPetByHand() {
        return json.write(pets, adopted, Cause.FED, AT, "feed-0123456789");
    }

    @Benchmark
    public byte[] adoptedPetByJackson() {
        return PetJson.write(pets.snapshot(adopted, Cause.FED, AT, "feed-0123456789"));
    }
}
