package dev.livepet.persistence;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The view pets_now spells the tick rule in SQL; {@link TickRule#stateAt} is the rule's home. For thousands of random
 * pets under random clocks and rule numbers, the view must give exactly what the rule gives.
 */
@QuarkusTest // Flyway migrates the schema at start
@WithTestResource(LocalStackTestResource.class)
class PetsNowTest {
    private static final int PETS = 4_000;
    private static final int CLOCKS = 50;
    // partitions far beyond the world's: their clocks and pets live only in this test's transaction, rolled back
    private static final int FIRST_PARTITION = 1_000_000;

    @Test
    void theViewGivesEveryPetTheStateTheTickRuleDerives() throws SQLException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Map<Integer, PartitionTick> clocks = new HashMap<>();
        for (int i = 0; i < CLOCKS; i++) {
            int partition = FIRST_PARTITION + i;
            long tick = 1 + (random.nextBoolean() ? random.nextInt(50) : random.nextInt(20_000_000));
            clocks.put(partition, new PartitionTick(partition, 2 * FIRST_PARTITION, tick, 1_700_000_000_000L + tick,
                    1 + (random.nextInt(4) == 0 ? random.nextInt(1_000) : random.nextInt(3)),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(200), random.nextInt(1_001)));
        }
        Map<Long, PetState> pets = new LinkedHashMap<>();
        Map<Long, Integer> partitionOf = new HashMap<>();
        while (pets.size() < PETS) {
            long id = PetHistories.newPetId();
            // a tenth in partitions whose clock has never ticked
            int partition = FIRST_PARTITION + random.nextInt(CLOCKS + CLOCKS / 10);
            PartitionTick clock = clocks.get(partition);
            long clockTick = clock == null ? 100 : clock.tick();
            int maxHunger = clock == null ? 500 : clock.maxHunger();
            // the event before, at or after its clock; age small or near the largest int; hunger below or above the cap
            long tick = random.nextInt(5) == 0 ? clockTick + random.nextInt(3) : (long) (random.nextDouble() * clockTick);
            int age = random.nextInt(4) == 0 ? Integer.MAX_VALUE - random.nextInt(1_000_000) : random.nextInt(20_000);
            int hunger = random.nextInt(maxHunger + 100);
            pets.put(id, new PetState(id, random.nextBoolean() ? null : "player-" + random.nextInt(9), "Pet " + id,
                    Species.values()[random.nextInt(Species.values().length)], age, hunger, random.nextInt(5) > 0,
                    1 + random.nextInt(1_000), random.nextBoolean() ? Cause.FED : Cause.ADOPTED, tick,
                    1_600_000_000_000L + random.nextInt(1_000_000), null));
            partitionOf.put(id, partition);
        }

        Map<Long, PetRows.Now> now;
        try (Connection c = PetRows.connect("livepet")) {
            c.setAutoCommit(false);
            try {
                insert(c, clocks.values(), pets.values(), partitionOf);
                now = readNow(c, pets.keySet());
            } finally {
                c.rollback();
            }
        }

        assertThat(now).as("seed %d", seed).hasSize(PETS);
        List<String> wrong = new ArrayList<>();
        pets.forEach((id, last) -> {
            PartitionTick clock = clocks.get(partitionOf.get(id));
            PetState expected = clock == null ? last : TickRule.stateAt(last, clock);
            PetRows.Now row = now.get(id);
            if (row.age() != expected.age() || row.hunger() != expected.hunger() || row.tick() != expected.tick()
                    || row.alive() != last.alive() || row.version() != last.version()) {
                wrong.add(last + " under " + clock + ": the view gives " + row + ", the rule " + expected);
            }
        });
        assertThat(wrong).as("seed %d: pets whose pets_now row is not TickRule.stateAt", seed).isEmpty();
        // the property is about something: many pets were derived, some to the age cap, some to the hunger cap
        assertThat(pets.keySet()).as("seed %d", seed)
                .filteredOn(id -> now.get(id).tick() > pets.get(id).tick()).hasSizeGreaterThan(PETS / 2);
        assertThat(now.values()).as("seed %d", seed).filteredOn(row -> row.age() == Integer.MAX_VALUE).isNotEmpty();
    }

    private static void insert(Connection c, Iterable<PartitionTick> clocks, Iterable<PetState> pets,
                               Map<Long, Integer> partitionOf) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO partition_clocks (partition, partitions, tick, "
                + "ticked_at, age_per_tick, hunger_per_tick, max_hunger) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (PartitionTick clock : clocks) {
                s.setInt(1, clock.partition());
                s.setInt(2, clock.partitions());
                s.setLong(3, clock.tick());
                s.setTimestamp(4, new Timestamp(clock.at()));
                s.setInt(5, clock.agePerTick());
                s.setInt(6, clock.hungerPerTick());
                s.setInt(7, clock.maxHunger());
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO pets (id, owner, name, species, age, hunger, alive, "
                + "version, cause, changed_at, born_at, tick, partition, died_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (PetState pet : pets) {
                s.setLong(1, pet.id());
                s.setString(2, pet.owner());
                s.setString(3, pet.name());
                s.setString(4, pet.species().id());
                s.setInt(5, pet.age());
                s.setInt(6, pet.hunger());
                s.setBoolean(7, pet.alive());
                s.setLong(8, pet.version());
                s.setString(9, pet.cause().id());
                s.setTimestamp(10, new Timestamp(pet.at()));
                s.setTimestamp(11, new Timestamp(pet.at()));
                s.setLong(12, pet.tick());
                s.setInt(13, partitionOf.get(pet.id()));
                s.setTimestamp(14, pet.alive() ? null : new Timestamp(pet.at()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static Map<Long, PetRows.Now> readNow(Connection c, Iterable<Long> ids) throws SQLException {
        List<Long> all = new ArrayList<>();
        ids.forEach(all::add);
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, age, hunger, alive, version, tick FROM pets_now WHERE id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("bigint", all.toArray()));
            Map<Long, PetRows.Now> rows = new HashMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getLong(1), new PetRows.Now(r.getLong(1), r.getInt(2), r.getInt(3), r.getBoolean(4),
                            r.getLong(5), r.getLong(6)));
                }
            }
            return rows;
        }
    }
}
