package dev.livepet.simulator.domain;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class PetPartitionTest {
    private static final long AT = 1_700_000_000_000L;
    private final WorldRules rules = WorldRules.original();
    private final List<PetState> published = new ArrayList<>();
    private final PetChangeSink sink = (partition, event) -> published.add(event);

    @Test
    void anAdoptedPetStartsHungry250AtAge0WithVersion1AtTheClocksTick() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.tick(AT - 2, sink);
        pets.tick(AT - 1, sink);

        CommandOutcome outcome = pets.adopt(new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX), AT, sink);

        assertThat(outcome).isEqualTo(CommandOutcome.APPLIED);
        assertThat(published).containsExactly(
                new PetState(42, "alice", "Rex", Species.FOX, 0, 250, true, 1, Cause.ADOPTED, 2, AT, "c1"));
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
    void aMealAndATreatLowerTheHungerOfTheCurrentTickAndGrowTheVersionByOne() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.adopt(new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX), AT, sink);
        for (int t = 0; t < 3; t++) {
            pets.tick(AT, sink);
        }

        pets.feed(new FeedCommand("c2", 42, Food.MEAL, "alice"), AT + 1, sink);
        pets.feed(new FeedCommand("c3", 42, Food.TREAT, "bob"), AT + 2, sink);
        pets.tick(AT + 3, sink);
        pets.feed(new FeedCommand("c4", 42, Food.MEAL, "alice"), AT + 4, sink);

        assertThat(published).extracting(PetState::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(published).extracting(PetState::age).containsExactly(0, 3, 3, 4);
        assertThat(published).extracting(PetState::hunger).containsExactly(250, 165, 145, 50);
        assertThat(published).extracting(PetState::tick).containsExactly(0L, 3L, 3L, 4L);
        assertThat(published).extracting(PetState::cause).containsExactly(Cause.ADOPTED, Cause.FED, Cause.TREAT, Cause.FED);
        assertThat(published).extracting(PetState::command).containsExactly("c1", "c2", "c3", "c4");
        assertThat(published).extracting(PetState::at).containsExactly(AT, AT + 1, AT + 2, AT + 4);
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
    void aTickPublishesNothingForLivingPetsWhoseStateFollowsFromTheirLastEvent() {
        PetPartition pets = new PetPartition(3, rules, 100);
        for (long id = 1; id <= 101; id++) {
            pets.adopt(new AdoptCommand("a" + id, id, "alice", "Pet " + id, Species.CAT), AT, sink);
        }
        published.clear();

        for (int t = 0; t < 7; t++) {
            assertThat(pets.tick(AT + t, sink)).isZero();
        }

        assertThat(published).isEmpty();
        assertThat(pets.clock().tick()).isEqualTo(7);
        assertThat(pets.clock().at()).isEqualTo(AT + 6);
        for (int slot = 0; slot < pets.size(); slot++) {
            PetState now = pets.now(slot);
            assertThat(now.age()).isEqualTo(7);
            assertThat(now.hunger()).isEqualTo(285);
            assertThat(now.version()).isEqualTo(1);
            assertThat(now.tick()).isEqualTo(7);
            assertThat(now.cause()).isEqualTo(Cause.TICK);
            assertThat(pets.eventTick(slot)).isZero();
        }
        assertThat(pets.deathsScheduled()).isEqualTo(101);
    }

    @Test
    void aPetDiesOnTheTickThatTakesItAboveMaxAgeIsPublishedOnceAndNeverEatsAgain() {
        WorldRules shortLives = new WorldRules(Duration.ofSeconds(5), new TickRule(1, 5, 500), 2, 100, 20, 250, 3, 100);
        PetPartition pets = new PetPartition(0, shortLives, 100);
        pets.adopt(new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX), AT, sink);

        List<Integer> deaths = new ArrayList<>();
        for (int tick = 1; tick <= 6; tick++) {
            deaths.add(pets.tick(AT + tick, sink));
        }
        CommandOutcome meal = pets.feed(new FeedCommand("c2", 42, Food.MEAL, "alice"), AT, sink);

        assertThat(deaths).containsExactly(0, 0, 1, 0, 0, 0);
        assertThat(published).extracting(PetState::cause).containsExactly(Cause.ADOPTED, Cause.DIED);
        assertThat(published.get(1)).isEqualTo(
                new PetState(42, "alice", "Rex", Species.FOX, 3, 265, false, 2, Cause.DIED, 3, AT + 3, null));
        assertThat(meal).isEqualTo(CommandOutcome.IGNORED);
        assertThat(pets.aliveCount()).isZero();
        assertThat(pets.size()).isEqualTo(1);
        assertThat(pets.now(0).age()).as("a dead pet ages no more").isEqualTo(3);
        assertThat(pets.deathsScheduled()).isZero();
    }

    @Test
    void feedsDoNotMoveTheTickAPetDiesAt() {
        WorldRules shortLives = new WorldRules(Duration.ofSeconds(5), new TickRule(2, 5, 500), 9, 100, 20, 250, 3, 100);
        PetPartition pets = new PetPartition(0, shortLives, 100);
        pets.tick(AT, sink);
        pets.adopt(new AdoptCommand("c1", 42, "alice", "Rex", Species.FOX), AT, sink);

        int diedAt = -1;
        for (int tick = 2; tick <= 10 && diedAt < 0; tick++) {
            if (tick % 2 == 0) {
                pets.feed(new FeedCommand("f" + tick, 42, Food.TREAT, "bob"), AT, sink);
            }
            if (pets.tick(AT, sink) > 0) {
                diedAt = (int) pets.clock().tick();
            }
        }

        // born at tick 1 aged 0: ages 2, 4, 6, 8, 10 at ticks 2..6, so it dies at tick 6 aged 10
        assertThat(diedAt).isEqualTo(6);
        assertThat(published.get(published.size() - 1).age()).isEqualTo(10);
    }

    @Test
    void restoreKeepsTheHighestVersionTheClockMovesToTheHighestTickAndTheNextEventContinuesFromBoth() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 3, 300, 1_000, 8, true, null));
        pets.restoreClock(new PartitionTick(0, 1, 9, AT - 2, rules.tickRule()));
        pets.restore(state(42, 5, 280, 1_002, 10, true, null));
        pets.restoreClock(new PartitionTick(0, 1, 12, AT - 1, rules.tickRule()));
        boolean staleTaken = pets.restore(state(42, 4, 290, 1_001, 9, true, null));
        pets.restoreClock(new PartitionTick(0, 1, 11, AT, rules.tickRule()));

        pets.feed(new FeedCommand("m", 42, Food.MEAL, "alice"), AT, sink);

        assertThat(staleTaken).isFalse();
        assertThat(pets.clock().tick()).isEqualTo(12);
        assertThat(published).containsExactly(
                new PetState(42, "alice", "Rex", Species.FOX, 1_004, 190, true, 6, Cause.FED, 12, AT, "m"));
    }

    @Test
    void aMealNeverHoldsBeforeThePetsLastEventEvenWhenTheClockIsBehindIt() {
        // a meal between the shares of tick 5's deaths was committed, tick 5's record was lost in a crash
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 3, 100, 50, 5, true, "meal-at-5"));
        pets.restoreClock(4, AT);

        pets.feed(new FeedCommand("m", 42, Food.TREAT, "bob"), AT, sink);
        pets.tick(AT + 1, sink);

        assertThat(published).singleElement().satisfies(treat -> {
            assertThat(treat.tick()).isEqualTo(5);
            assertThat(treat.age()).isEqualTo(50);
            assertThat(treat.hunger()).isEqualTo(80);
        });
        assertThat(pets.now(pets.slotOf(42)).age()).as("at tick 5 again").isEqualTo(50);
    }

    @Test
    void aRestoredDeadPetStaysDeadAndARestoredCommandIsNotAppliedAgain() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 7, 100, 10_001, 3, false, null));
        pets.restore(state(43, 2, 150, 10, 3, true, "meal-1"));

        pets.tick(AT, sink);
        CommandOutcome retried = pets.feed(new FeedCommand("meal-1", 43, Food.MEAL, "alice"), AT, sink);

        assertThat(published).isEmpty();
        assertThat(retried).isEqualTo(CommandOutcome.DUPLICATE);
        assertThat(pets.aliveCount()).isEqualTo(1);
        assertThat(pets.size()).isEqualTo(2);
    }

    @Test
    void restoringAPetThatDiedLaterLowersTheLivingCountAndCancelsItsDeath() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 1, 100, 10_000, 0, true, null));
        pets.restore(state(42, 2, 100, 10_001, 1, false, null));
        pets.restoreClock(1, AT);

        assertThat(pets.tick(AT, sink)).isZero();
        assertThat(pets.aliveCount()).isZero();
        assertThat(pets.alive(pets.slotOf(42))).isFalse();
        assertThat(published).isEmpty();
    }

    @Test
    void aRestoredPetAlreadyPastMaxAgeDiesAtTheNextTick() {
        // the world's max-age was lowered while the simulator was stopped
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 4, 100, 12_000, 20, true, null));
        pets.restoreClock(30, AT);

        pets.tick(AT + 1, sink);

        assertThat(published).singleElement().satisfies(died -> {
            assertThat(died.cause()).isEqualTo(Cause.DIED);
            assertThat(died.tick()).isEqualTo(31);
            assertThat(died.age()).isEqualTo(12_011);
            assertThat(died.version()).isEqualTo(5);
        });
    }

    @Test
    void seedingCreatesExactlyThePetsOfThisPartitionAtItsTickAndTheSixPartitionsTogetherHoldEveryId() {
        int partitions = 6;
        int[][] ids = SeedPets.idsByPartition(1_000, partitions);
        Set<Long> everyId = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            published.clear();
            PetPartition pets = new PetPartition(p, rules, 100);
            int seeded = pets.seed(ids[p], 0, ids[p].length, AT, sink);
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
                assertThat(s.tick()).isZero();
                assertThat(s.name()).isEqualTo(SeedPets.name(s.id()));
                assertThat(rules.nameProblem(s.name())).isNull();
                assertThat(s.species()).isEqualTo(SeedPets.species(s.id()));
            });
            assertThat(pets.deathsScheduled()).isEqualTo(seeded);
            published.forEach(s -> assertThat(everyId.add(s.id())).isTrue());
        }
        assertThat(everyId).hasSize(1_000);
    }

    @Test
    void seedingInStepsOrAgainCreatesEachPetOnceAndLeavesAPlayersPetAlone() {
        int[] ids = SeedPets.idsByPartition(3_000, 1)[0];
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.adopt(new AdoptCommand("c1", ids[7], "alice", "Mine Now", Species.CRAB), AT, sink);

        int first = pets.seed(ids, 0, 1_000, AT, sink);
        int again = pets.seed(ids, 0, 2_000, AT, sink);
        int rest = pets.seed(ids, 2_000, ids.length, AT, sink);

        assertThat(first).isEqualTo(999);
        assertThat(again).isEqualTo(1_000);
        assertThat(rest).isEqualTo(1_000);
        assertThat(pets.size()).isEqualTo(3_000);
        assertThat(published).extracting(PetState::id).doesNotHaveDuplicates().hasSize(3_000);
        assertThat(pets.owner(pets.slotOf(ids[7]))).isEqualTo("alice");
    }

    @Test
    void seedNamesAreDeterministicAndUnique() {
        Set<String> names = new HashSet<>();
        for (long id = 1; id <= 5_000; id++) {
            assertThat(names.add(SeedPets.name(id))).isTrue();
            assertThat(SeedPets.isNameOf(id, SeedPets.name(id))).isTrue();
        }
        assertThat(SeedPets.name(1)).isEqualTo(SeedPets.name(1)).isEqualTo("Sleepy Biscuit");
        assertThat(SeedPets.name(2)).isEqualTo("Sleepy Mochi");
        assertThat(SeedPets.isNameOf(2, "Sleepy Biscuit")).isFalse();
        assertThat(SeedPets.isNameOf(321, "Sleepy Biscuit 2")).isTrue();
        assertThat(SeedPets.isNameOf(321, "Sleepy Biscuit 3")).isFalse();
    }

    @Test
    void aPartitionGrowsFarBeyondItsInitialCapacityAndEveryPetDiesOnce() {
        WorldRules oneTickLives = new WorldRules(Duration.ofSeconds(5), new TickRule(1, 5, 500), 0, 100, 20, 250, 3, 100);
        PetPartition pets = new PetPartition(0, oneTickLives, 0, 4);
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
        assertThat(pets.tick(AT, sink)).isEqualTo(count);
        assertThat(pets.tick(AT, sink)).isZero();
        assertThat(published).hasSize(count);
        assertThat(published).extracting(PetState::id).doesNotHaveDuplicates();
        assertThat(published).extracting(PetState::cause).containsOnly(Cause.DIED);
    }

    @Test
    void seededPetsStoreNoNameAndFitInAbout47BytesEach() {
        PetPartition pets = new PetPartition(0, rules, 100);
        int[] ids = SeedPets.idsByPartition(40_000, 1)[0];

        int seeded = pets.seed(ids, 0, ids.length, AT, (p, event) -> { });
        pets.trimToSize();

        assertThat(seeded).isEqualTo(40_000);
        assertThat(pets.capacity()).isEqualTo(40_000);
        int slot = pets.slotOf(321);
        assertThat(pets.adoption(slot)).isNull();
        assertThat(pets.name(slot)).isEqualTo("Sleepy Biscuit 2");
        assertThat(pets.owner(slot)).isNull();
        assertThat(pets.species(slot)).isEqualTo(SeedPets.species(321));
        // 29 bytes of arrays, 8 of the death schedule, 4 to 11 of the index
        assertThat(pets.heapBytes() / pets.size()).isBetween(40L, 50L);
    }

    @Test
    void aRestoredOwnerlessPetKeepsANameThatIsNotItsSeedName() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(new PetState(7, null, SeedPets.name(7), Species.CAT, 1, 10, true, 2, Cause.FED, 1, AT, null));
        pets.restore(new PetState(8, null, "Renamed", Species.CAT, 1, 10, true, 2, Cause.FED, 1, AT, null));

        assertThat(pets.adoption(pets.slotOf(7))).isNull();
        assertThat(pets.now(pets.slotOf(7)).name()).isEqualTo(SeedPets.name(7));
        assertThat(pets.now(pets.slotOf(8)).name()).isEqualTo("Renamed");
    }

    @Test
    void ownersAreKeptOncePerPlayer() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.adopt(new AdoptCommand("c1", 1, new String("alice"), "Rex", Species.FOX), AT, sink);
        pets.restore(new PetState(2, new String("alice"), "Max", Species.DOG, 5, 10, true, 3, Cause.FED, 0, AT, null));

        assertThat(pets.owner(pets.slotOf(1))).isEqualTo("alice").isSameAs(pets.owner(pets.slotOf(2)));
    }

    @Test
    void anAgeBeyondWhatACharHoldsIsRestoredAsTheOldestStorableAge() {
        PetPartition pets = new PetPartition(0, rules, 100);
        pets.restore(state(42, 9, 100, 1_000_000, 0, false, null));

        assertThat(pets.age(pets.slotOf(42))).isEqualTo(WorldRules.MAX_STORED_AGE);
        assertThat(pets.alive(pets.slotOf(42))).isFalse();
    }

    @Test
    void aRestoredPartitionTrimmedToSizeStillGrowsAndFindsEveryPet() {
        PetPartition pets = new PetPartition(0, rules, 0, 4);
        for (long id = 1; id <= 100; id++) {
            pets.restore(state(id, 1, 100, 10, 0, true, null));
        }
        pets.trimToSize();
        assertThat(pets.capacity()).isEqualTo(100);
        assertThat(pets.deathsScheduled()).isEqualTo(100);

        pets.adopt(new AdoptCommand("c1", 1_000, "bob", "Newcomer", Species.CRAB), AT, sink);

        assertThat(pets.size()).isEqualTo(101);
        for (long id = 1; id <= 100; id++) {
            assertThat(pets.id(pets.slotOf(id))).isEqualTo(id);
        }
        assertThat(pets.name(pets.slotOf(1_000))).isEqualTo("Newcomer");
        assertThat(pets.deathsScheduled()).isEqualTo(101);
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

    private static PetState state(long id, long version, int hunger, int age, long tick, boolean alive, String command) {
        return new PetState(id, "alice", "Rex", Species.FOX, age, hunger, alive, version,
                alive ? Cause.FED : Cause.DIED, tick, AT - 10_000, command);
    }
}
