package dev.livepet.persistence.db;

import dev.livepet.contract.PartitionTick;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The {@code partition_clocks} table: each partition's last tick with the rule numbers in force, from which
 * {@code pets_now} derives every pet's state. A write never lowers a clock, so an old tick replayed changes nothing.
 */
public final class ClockTable {
    static final String UPSERT = """
            INSERT INTO partition_clocks (partition, partitions, tick, ticked_at, age_per_tick, hunger_per_tick,
                                          max_hunger)
            SELECT * FROM UNNEST($1::int[], $2::int[], $3::bigint[], $4::timestamptz[], $5::int[], $6::int[], $7::int[])
            ON CONFLICT (partition) DO UPDATE SET
                partitions = EXCLUDED.partitions, tick = EXCLUDED.tick, ticked_at = EXCLUDED.ticked_at,
                age_per_tick = EXCLUDED.age_per_tick, hunger_per_tick = EXCLUDED.hunger_per_tick,
                max_hunger = EXCLUDED.max_hunger
            WHERE partition_clocks.tick < EXCLUDED.tick""";

    private static final String RECORDED_PARTITIONS = "SELECT coalesce(max(partitions), 0) FROM partition_clocks";

    private ClockTable() {
    }

    /** The partition count the world's ticks recorded ({@code max(partitions)}), 0 before its first tick. */
    public static Uni<Integer> recordedPartitions(Pool pool) {
        return pool.query(RECORDED_PARTITIONS).execute().map(rows -> rows.iterator().next().getInteger(0));
    }

    /** The statement's arrays; the clocks come in partition order, so every write locks them alike. */
    static Tuple columns(List<PartitionTick> clocks) {
        int n = clocks.size();
        Integer[] partition = new Integer[n];
        Integer[] partitions = new Integer[n];
        Long[] tick = new Long[n];
        OffsetDateTime[] tickedAt = new OffsetDateTime[n];
        Integer[] agePerTick = new Integer[n];
        Integer[] hungerPerTick = new Integer[n];
        Integer[] maxHunger = new Integer[n];
        for (int i = 0; i < n; i++) {
            PartitionTick clock = clocks.get(i);
            partition[i] = clock.partition();
            partitions[i] = clock.partitions();
            tick[i] = clock.tick();
            tickedAt[i] = PetTable.time(clock.at());
            agePerTick[i] = clock.agePerTick();
            hungerPerTick[i] = clock.hungerPerTick();
            maxHunger[i] = clock.maxHunger();
        }
        return Tuple.tuple()
                .addArrayOfInteger(partition).addArrayOfInteger(partitions).addArrayOfLong(tick)
                .addArrayOfOffsetDateTime(tickedAt).addArrayOfInteger(agePerTick).addArrayOfInteger(hungerPerTick)
                .addArrayOfInteger(maxHunger);
    }
}
