package dev.livepet.simulator.domain;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class PetPartitionTest {
    private static final long AT = 1_700_000_000_000L;
    private final WorldRules rules = WorldRules.original();
    private final List<PetState> published = new ArrayList<>();
    private final PetChangeSink sink = (pets, slot, cause, at, commandId) ->
            published.add(pets.snapshot(slot, cause, at, commandId));

    @Test
    void anAdoptedPetStartsHungry250AtAge0WithVersion1() {
        PetPartition pets = new PetPartition(0, rules, 100);

        CommandOutcome outcome = pets.adopt(new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX), AT, sink);

        assertThat(outcome).isEqualTo(CommandOutcome.APPLIED);
        assertThat(published).containsExactly(
                new PetState(42, "alice", "Rex", Species.FOX, 0, 250, true, 1, Cause.ADOPTED, AT, "c1"));
        assertThat(pets.size()).isEqualTo(1);
        assertThat(pets.aliveCount()).isEqualTo(1);
    }

    @Test
    void aSecondAdoptOfTheSamePetOrABadNameIsRefusedWithAReason() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.adopt(new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX), AT, sink);

        CommandOutcome again = pets.adopt(new AdoptCommand("c2", 42, "bob", "Max", Species.DOG), AT, sink);
        CommandOutcome shortName = pets.adopt(new AdoptCommand("c3", 43, "bob", "Mo", Species.DOG), AT, sink);

        assertThat(again.isRefused()).isTrue();
        assertThat(again.reason()).contains("42").contains("already exists");
        assertThat(shortName.isRefused()).isTrue();
        assertThat(shortName.reason()).contains("3 to 100");
        assertThat(published).hasSize(1);
        assertThat(pets.size()).isEqualTo(1);
    }

    @Test
    void aMealAndATreatLowerHungerAndGrowTheVersionByOne() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.adopt(new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX), AT, sink);

        pets.feed(new FeedCommand("c2", 42, Food.MEAL, "alice"), AT + 1, sink);
        pets.feed(new FeedCommand("c3", 42, Food.TREAT, "bob"), AT + 2, sink);
        pets.feed(new FeedCommand("c4", 42, Food.MEAL, "alice"), AT + 3, sink);

        assertThat(published).extracting(PetState::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(published).extracting(PetState::hunger).containsExactly(250, 150, 130, 30);
        assertThat(published).extracting(PetState::cause).containsExactly(Cause.ADOPTED, Cause.FED, Cause.TREAT, Cause.FED);
        assertThat(published).extracting(PetState::command).containsExactly("c1", "c2", "c3", "c4");
        assertThat(published.get(3).age()).isZero();
    }

    @Test
    void feedingAPetThatDoesNotExistIsRefused() {
        PetPartition pets = new PetPartition(0, rules, 100);

        CommandOutcome outcome = pets.feed(new FeedCommand("c1", 99, Food.MEAL, "alice"), AT, sink);

        assertThat(outcome.isRefused()).isTrue();
        assertThat(outcome.reason()).contains("no pet 99");
        assertThat(published).isEmpty();
    }

    @Test
    void aRetriedCommandIsAppliedOnce() {
        PetPartition pets = new PetPartition(0, rules, 100);
        AdoptCommand adopt = new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX);
        FeedCommand feed = new FeedCommand("c2", 42, Food.MEAL, "alice");

        assertThat(pets.apply(adopt, AT, sink)).isEqualTo(CommandOutcome.APPLIED);
        assertThat(pets.apply(adopt, AT, sink)).isEqualTo(CommandOutcome.DUPLICATE);
        assertThat(pets.apply(feed, AT, sink)).isEqualTo(CommandOutcome.APPLIED);
        assertThat(pets.apply(feed, AT, sink)).isEqualTo(CommandOutcome.DUPLICATE);

        assertThat(published).extracting(PetState::version).containsExactly(1L, 2L);
        assertThat(published.get(1).hunger()).isEqualTo(150);
    }

    @Test
    void onlyTheLastCommandIdsAreRemembered() {
        PetPartition pets = new PetPartition(0, rules, 2);
        pets.adopt(new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX), AT, sink);
        pets.feed(new FeedCommand("c2", 42, Food.TREAT, "bob"), AT, sink);
        pets.feed(new FeedCommand("c3", 42, Food.TREAT, "bob"), AT, sink);

        // c1 was forgotten when c3 came; c3 is still remembered
        assertThat(pets.feed(new FeedCommand("c1", 42, Food.TREAT, "bob"), AT, sink)).isEqualTo(CommandOutcome.APPLIED);
        assertThat(pets.feed(new FeedCommand("c3", 42, Food.TREAT, "bob"), AT, sink)).isEqualTo(CommandOutcome.DUPLICATE);
    }

    @Test
    void tickingEverySliceOnceTicksEveryLivingPetExactlyOnce() {
        PetPartition pets = new PetPartition(3, rules, 100);
        for (long id = 1; id <= 101; id++) {
            pets.adopt(new AdoptCommand("a" + id, id, "alice", "Pet " + id, Species.CAT), AT, sink);
        }
        published.clear();
        int slices = 7;
        Map<Long, Integer> ticksPerPet = new HashMap<>();
        for (int slice = 0; slice < slices; slice++) {
            int before = published.size();
            int ticked = pets.tickSlice(slice, slices, AT, sink);
            assertThat(ticked).isEqualTo(published.size() - before);
            for (PetState state : published.subList(before, published.size())) {
                assertThat(pets.slotOf(state.id()) % slices).isEqualTo(slice);
                ticksPerPet.merge(state.id(), 1, Integer::sum);
            }
        }

        assertThat(ticksPerPet).hasSize(101);
        assertThat(ticksPerPet.values()).containsOnly(1);
        assertThat(published).allSatisfy(s -> {
            assertThat(s.cause()).isEqualTo(Cause.TICK);
            assertThat(s.version()).isEqualTo(2);
            assertThat(s.age()).isEqualTo(1);
            assertThat(s.hunger()).isEqualTo(255);
            assertThat(s.command()).isNull();
        });
    }

    @Test
    void aPetDiesOnTheTickThatTakesItAboveMaxAgeIsPublishedOnceAndNeverTicksOrEatsAgain() {
        WorldRules shortLives = new WorldRules(Duration.ofSeconds(5), 1, 5, 500, 2, 100, 20, 250, 3, 100);
        PetPartition pets = new PetPartition(0, shortLives, 100);
        pets.adopt(new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX), AT, sink);

        for (int tick = 0; tick < 6; tick++) {
            pets.tickSlice(0, 1, AT, sink);
        }
        CommandOutcome meal = pets.feed(new FeedCommand("c2", 42, Food.MEAL, "alice"), AT, sink);

        assertThat(published).extracting(PetState::cause)
                .containsExactly(Cause.ADOPTED, Cause.TICK, Cause.TICK, Cause.DIED);
        PetState died = published.get(3);
        assertThat(died.alive()).isFalse();
        assertThat(died.age()).isEqualTo(3);
        assertThat(died.version()).isEqualTo(4);
        assertThat(meal).isEqualTo(CommandOutcome.IGNORED);
        assertThat(pets.aliveCount()).isZero();
        assertThat(pets.size()).isEqualTo(1);
    }

    @Test
    void restoreKeepsTheHighestVersionAndTheNextChangeContinuesFromIt() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 3, 300, 1_000, true, null));
        pets.restore(state(42, 5, 280, 1_002, true, null));
        boolean staleTaken = pets.restore(state(42, 4, 290, 1_001, true, null));

        pets.tickSlice(0, 1, AT, sink);

        assertThat(staleTaken).isFalse();
        assertThat(published).containsExactly(
                new PetState(42, "alice", "Rex", Species.FOX, 1_003, 285, true, 6, Cause.TICK, AT, null));
    }

    @Test
    void aRestoredDeadPetStaysDeadAndARestoredCommandIsNotAppliedAgain() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 7, 100, 10_001, false, null));
        pets.restore(state(43, 2, 150, 10, true, "meal-1"));

        pets.tickSlice(0, 1, AT, sink);
        CommandOutcome retried = pets.feed(new FeedCommand("meal-1", 43, Food.MEAL, "alice"), AT, sink);

        assertThat(published).extracting(PetState::id).containsExactly(43L);
        assertThat(retried).isEqualTo(CommandOutcome.DUPLICATE);
        assertThat(pets.aliveCount()).isEqualTo(1);
        assertThat(pets.size()).isEqualTo(2);
    }

    @Test
    void restoringAPetThatDiedLaterLowersTheLivingCount() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 1, 100, 10_000, true, null));
        pets.restore(state(42, 2, 100, 10_001, false, null));

        assertThat(pets.aliveCount()).isZero();
        assertThat(pets.alive(pets.slotOf(42))).isFalse();
    }

    @Test
    void seedingCreatesExactlyThePetsOfThisPartitionAndTheSixPartitionsTogetherHoldEveryId() {
        int partitions = 6;
        Set<Long> everyId = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            published.clear();
            PetPartition pets = new PetPartition(p, rules, 100);
            int seeded = pets.seed(1_000, partitions, AT, sink);
            int partition = p;
            Set<Long> expected = LongStream.rangeClosed(1, 1_000)
                    .filter(id -> PetPartitioner.partitionOf(id, partitions) == partition)
                    .boxed().collect(Collectors.toSet());

            assertThat(seeded).isEqualTo(expected.size()).isPositive();
            assertThat(published).extracting(PetState::id).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(published).allSatisfy(s -> {
                assertThat(s.owner()).isNull();
                assertThat(s.cause()).isEqualTo(Cause.ADOPTED);
                assertThat(s.version()).isEqualTo(1);
                assertThat(s.age()).isZero();
                assertThat(s.hunger()).isEqualTo(250);
                assertThat(s.name()).isEqualTo(SeedPets.name(s.id()));
                assertThat(rules.nameProblem(s.name())).isNull();
                assertThat(s.species()).isEqualTo(SeedPets.species(s.id()));
            });
            published.forEach(s -> assertThat(everyId.add(s.id())).isTrue());
        }
        assertThat(everyId).hasSize(1_000);
    }

    @Test
    void aPartitionThatHasPetsIsNotSeeded() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 1, 100, 10, true, null));

        assertThat(pets.seed(1_000, 1, AT, sink)).isZero();
        assertThat(published).isEmpty();
        assertThat(pets.size()).isEqualTo(1);
    }

    @Test
    void seedNamesAreDeterministicAndUnique() {
        Set<String> names = new HashSet<>();
        for (long id = 1; id <= 5_000; id++) {
            assertThat(names.add(SeedPets.name(id))).isTrue();
        }
        assertThat(SeedPets.name(1)).isEqualTo(SeedPets.name(1)).isEqualTo("Sleepy Biscuit");
        assertThat(SeedPets.name(2)).isEqualTo("Sleepy Mochi");
    }

    @Test
    void aPartitionGrowsFarBeyondItsInitialCapacity() {
        PetPartition pets = new PetPartition(0, rules, 0, 4);
        int count = 50_000;
        for (long id = 1; id <= count; id++) {
            // ids far apart and sharing their low bits must not collide in the index
            long petId = id << 20;
            pets.adopt(new AdoptCommand("a" + id, petId, "alice", "Pet " + id, Species.DOG), AT, sink);
        }

        assertThat(pets.size()).isEqualTo(count);
        assertThat(pets.capacity()).isGreaterThanOrEqualTo(count);
        for (long id = 1; id <= count; id++) {
            int slot = pets.slotOf(id << 20);
            assertThat(slot).isEqualTo((int) id - 1);
            assertThat(pets.id(slot)).isEqualTo(id << 20);
        }
        assertThat(pets.slotOf(12345)).isEqualTo(-1);
        published.clear();
        for (int slice = 0; slice < 50; slice++) {
            pets.tickSlice(slice, 50, AT, sink);
        }
        assertThat(published).hasSize(count);
        assertThat(published).extracting(PetState::id).doesNotHaveDuplicates();
    }

    @Test
    void seededPetsStoreNoNameAndFitInAbout40BytesEach() {
        PetPartition pets = new PetPartition(0, rules, 100);

        int seeded = pets.seed(40_000, 1, AT, (p, slot, cause, at, command) -> { });

        assertThat(seeded).isEqualTo(40_000);
        assertThat(pets.capacity()).isEqualTo(40_000);
        int slot = pets.slotOf(321);
        assertThat(pets.adoption(slot)).isNull();
        assertThat(pets.name(slot)).isEqualTo("Sleepy Biscuit 2");
        assertThat(pets.owner(slot)).isNull();
        assertThat(pets.species(slot)).isEqualTo(SeedPets.species(321));
        assertThat(pets.heapBytes() / pets.size()).isBetween(30L, 40L);
    }

    @Test
    void aRestoredOwnerlessPetKeepsANameThatIsNotItsSeedName() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(new PetState(7, null, SeedPets.name(7), Species.CAT, 1, 10, true, 2, Cause.TICK, AT, null));
        pets.restore(new PetState(8, null, "Renamed", Species.CAT, 1, 10, true, 2, Cause.TICK, AT, null));

        assertThat(pets.adoption(pets.slotOf(7))).isNull();
        assertThat(pets.snapshot(pets.slotOf(7), Cause.TICK, AT, null).name()).isEqualTo(SeedPets.name(7));
        assertThat(pets.snapshot(pets.slotOf(8), Cause.TICK, AT, null).name()).isEqualTo("Renamed");
    }

    @Test
    void ownersAreKeptOncePerPlayer() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.adopt(new AdoptCommand("c1", 1, new String("alice"), "Rex", Species.FOX), AT, sink);
        pets.restore(new PetState(2, new String("alice"), "Max", Species.DOG, 5, 10, true, 3, Cause.TICK, AT, null));

        assertThat(pets.owner(pets.slotOf(1))).isEqualTo("alice").isSameAs(pets.owner(pets.slotOf(2)));
    }

    @Test
    void anAgeBeyondWhatACharHoldsIsRestoredAsTheOldestStorableAge() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 9, 100, 1_000_000, false, null));

        assertThat(pets.age(pets.slotOf(42))).isEqualTo(WorldRules.MAX_STORED_AGE);
        assertThat(pets.alive(pets.slotOf(42))).isFalse();
    }

    @Test
    void aRestoredPartitionTrimmedToSizeStillGrowsAndFindsEveryPet() {
        PetPartition pets = new PetPartition(0, rules, 0, 4);
        for (long id = 1; id <= 100; id++) {
            pets.restore(state(id, 1, 100, 10, true, null));
        }
        pets.trimToSize();
        assertThat(pets.capacity()).isEqualTo(100);

        pets.adopt(new AdoptCommand("c1", 1_000, "bob", "Newcomer", Species.CRAB), AT, sink);

        assertThat(pets.size()).isEqualTo(101);
        for (long id = 1; id <= 100; id++) {
            assertThat(pets.id(pets.slotOf(id))).isEqualTo(id);
        }
        assertThat(pets.name(pets.slotOf(1_000))).isEqualTo("Newcomer");
    }

    @Test
    void seedIdsAreGroupedByTheirKafkaPartitionInOnePass() {
        int[][] ids = SeedPets.idsByPartition(10_000, 24);

        assertThat(ids.length).isEqualTo(24);
        assertThat(Arrays.stream(ids).mapToInt(a -> a.length).sum()).isEqualTo(10_000);
        for (int p = 0; p < 24; p++) {
            int partition = p;
            assertThat(ids[p]).isSorted();
            assertThat(Arrays.stream(ids[p])).allSatisfy(id -> assertThat(PetPartitioner.partitionOf(id, 24)).isEqualTo(partition));
        }
    }

    private static PetState state(long id, long version, int hunger, int age, boolean alive, String command) {
        return new PetState(id, "alice", "Rex", Species.FOX, age, hunger, alive, version,
                alive ? Cause.TICK : Cause.DIED, AT - 10_000, command);
    }
}
