package dev.livepet.simulator.domain;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For random rule numbers and random histories of adoptions, seeded pets, meals, treats, ticks and restores (from a
 * snapshot and from a replay of everything published), the simulator's pets against a model that ticks every pet one
 * tick at a time: what the partition holds at its clock is what {@link TickRule#stateAt} derives from the last event it
 * published, and it publishes each death exactly at the tick the model's pet dies, with the model's age and hunger.
 */
class PetPartitionPropertyTest {
    private static final int PARTITION = 0;
    private static final long AT = 1_700_000_000_000L;

    /** A pet as the original world kept it: aged and made hungrier one tick at a time. */
    private static final class ModelPet {
        int age;
        int hunger;
        boolean alive = true;
        long version = 1;
        int diedAt = -1;
    }

    @Test
    void theHeldStateIsTheTickRulesDerivationOfTheLastEventAndDeathsComeAtTheTickOfTheOneTickAtATimeRule() {
        Random random = new Random(20261206);
        for (int round = 0; round < 200; round++) {
            checkOneHistory(random, round);
        }
    }

    private void checkOneHistory(Random random, int round) {
        TickRule tickRule = new TickRule(1 + random.nextInt(4), random.nextInt(40), random.nextInt(600));
        WorldRules rules = new WorldRules(Duration.ofSeconds(5), tickRule, random.nextInt(120), random.nextInt(300),
                random.nextInt(100), random.nextInt(tickRule.maxHunger() + 1), 1, 50);
        String history = "round " + round + " with " + rules;
        List<PetStateRecord> log = new ArrayList<>();
        Map<Long, PetState> lastEvents = new HashMap<>();
        PetChangeSink sink = (partition, event) -> {
            log.add(event);
            lastEvents.put(event.id(), event);
        };
        Map<Long, ModelPet> model = new HashMap<>();
        PetPartition pets = new PetPartition(PARTITION, rules, 1_000);
        int[] seedIds = new int[random.nextInt(30)];
        for (int i = 0; i < seedIds.length; i++) {
            seedIds[i] = i + 1;
        }
        pets.seed(seedIds, 0, seedIds.length, AT, sink);
        for (int id : seedIds) {
            model.put((long) id, newPet(rules));
        }
        long nextId = 1_000;
        int commands = 0;
        for (int step = 0; step < 300; step++) {
            int action = random.nextInt(100);
            long at = AT + step;
            if (action < 8) {
                long id = nextId++;
                pets.adopt(new AdoptCommand("c" + commands++, id, "owner", "Pet " + id, Species.FOX), at, sink);
                model.put(id, newPet(rules));
            } else if (action < 40 && !model.isEmpty()) {
                long id = pick(random, model);
                Food food = random.nextBoolean() ? Food.MEAL : Food.TREAT;
                pets.feed(new FeedCommand("c" + commands++, id, food, "giver"), at, sink);
                ModelPet pet = model.get(id);
                if (pet.alive) {
                    pet.hunger = Math.max(0, pet.hunger - (food == Food.MEAL ? rules.meal() : rules.treat()));
                    pet.version++;
                }
            } else if (action < 95) {
                List<PetState> before = new ArrayList<>(lastEvents.values());
                int logged = log.size();
                int died = pets.tick(at, sink);
                long tick = pets.clock().tick();
                log.add(new PartitionTick(PARTITION, 1, tick, at, tickRule));
                TreeSet<Long> modelDeaths = new TreeSet<>();
                for (Map.Entry<Long, ModelPet> e : model.entrySet()) {
                    ModelPet pet = e.getValue();
                    if (!pet.alive) {
                        continue;
                    }
                    pet.age += tickRule.agePerTick();
                    pet.hunger = pet.hunger >= tickRule.maxHunger() ? pet.hunger
                            : Math.min(tickRule.maxHunger(), pet.hunger + tickRule.hungerPerTick());
                    if (pet.age > rules.maxAge()) {
                        pet.alive = false;
                        pet.version++;
                        pet.diedAt = (int) tick;
                        modelDeaths.add(e.getKey());
                    }
                }
                List<PetState> deaths = log.subList(logged, log.size() - 1).stream().map(PetState.class::cast).toList();
                assertThat(deaths).as("%s: the deaths at tick %d", history, tick)
                        .extracting(PetState::id).containsExactlyInAnyOrderElementsOf(modelDeaths);
                assertThat(died).isEqualTo(modelDeaths.size());
                for (PetState death : deaths) {
                    ModelPet pet = model.get(death.id());
                    assertThat(death.cause()).isEqualTo(Cause.DIED);
                    assertThat(death.tick()).isEqualTo(tick);
                    assertThat(death.at()).isEqualTo(at);
                    assertThat(death.alive()).isFalse();
                    assertThat(death.age()).as("%s: age of %s", history, death).isEqualTo(pet.age);
                    assertThat(death.hunger()).as("%s: hunger of %s", history, death).isEqualTo(pet.hunger);
                    PetState previous = before.stream().filter(s -> s.id() == death.id()).findFirst().orElseThrow();
                    assertThat(death.version()).isEqualTo(previous.version() + 1);
                }
            } else if (action < 97) {
                // the simulator restarts from its newest snapshot
                byte[] snapshot = PartitionSnapshot.write(pets, 1, log.size(), at);
                pets = PartitionSnapshot.read(snapshot, PARTITION, rules, 1_000).pets();
            } else {
                // the simulator restarts with no snapshot: it replays everything it published
                pets = replay(log, rules);
            }
            assertHoldsTheDerivationOfTheLastEvents(history + " at step " + step, pets, lastEvents, model, tickRule);
        }
        assertThat(pets.size()).isEqualTo(model.size());
    }

    private static void assertHoldsTheDerivationOfTheLastEvents(String when, PetPartition pets, Map<Long, PetState> lastEvents,
                                                              Map<Long, ModelPet> model, TickRule tickRule) {
        long tick = pets.clock().tick();
        long alive = model.values().stream().filter(p -> p.alive).count();
        assertThat(pets.aliveCount()).as(when).isEqualTo(alive);
        assertThat(pets.size()).as(when).isEqualTo(model.size());
        for (Map.Entry<Long, ModelPet> e : model.entrySet()) {
            int slot = pets.slotOf(e.getKey());
            PetState held = pets.now(slot);
            PetState derived = tickRule.stateAt(lastEvents.get(e.getKey()), tick, pets.clock().at());
            ModelPet pet = e.getValue();
            // compared by hand: assertj's recursive comparison for millions of pets would take minutes
            boolean same = held.id() == derived.id() && java.util.Objects.equals(held.owner(), derived.owner())
                    && held.name().equals(derived.name()) && held.species() == derived.species()
                    && held.age() == derived.age() && held.hunger() == derived.hunger() && held.alive() == derived.alive()
                    && held.version() == derived.version() && held.tick() == derived.tick();
            boolean asTheModel = held.age() == pet.age && held.hunger() == pet.hunger && held.alive() == pet.alive
                    && held.version() == pet.version;
            if (!same || !asTheModel) {
                assertThat(held).as("%s: pet %d held, against the derivation of its last event", when, e.getKey())
                        .usingRecursiveComparison()
                        .comparingOnlyFields("id", "owner", "name", "species", "age", "hunger", "alive", "version", "tick")
                        .isEqualTo(derived);
                assertThat(List.of(held.age(), held.hunger(), held.alive(), held.version()))
                        .as("%s: pet %d against one tick at a time", when, e.getKey())
                        .containsExactly(pet.age, pet.hunger, pet.alive, pet.version);
            }
        }
    }

    private static PetPartition replay(List<PetStateRecord> log, WorldRules rules) {
        PetPartition pets = new PetPartition(PARTITION, rules, 1_000, 1);
        for (PetStateRecord record : log) {
            // through the codec, as a restore reads them
            PetStateRecord read = record instanceof PetState event
                    ? PetStateCodec.read(PetStateCodec.key(event.id()), PetStateCodec.write(event), PARTITION, 1)
                    : PetStateCodec.read(PetStateCodec.tickKey(PARTITION), PetStateCodec.write((PartitionTick) record), PARTITION, 1);
            if (read instanceof PetState event) {
                pets.restore(event);
            } else {
                pets.restoreClock((PartitionTick) read);
            }
        }
        pets.trimToSize();
        return pets;
    }

    private static ModelPet newPet(WorldRules rules) {
        ModelPet pet = new ModelPet();
        pet.hunger = rules.initialHunger();
        return pet;
    }

    private static long pick(Random random, Map<Long, ModelPet> model) {
        List<Long> ids = new ArrayList<>(model.keySet());
        return ids.get(random.nextInt(ids.size()));
    }
}
