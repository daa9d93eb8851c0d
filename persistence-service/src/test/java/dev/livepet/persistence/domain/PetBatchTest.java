package dev.livepet.persistence.domain;

import dev.livepet.contract.Cause;
import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import dev.livepet.contract.WorldPartitions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PetBatchTest {
    private static final int PARTITIONS = 6;
    private static final TickRule RULE = new TickRule(1, 5, 500);
    private long offset;

    @Test
    void theHighestVersionOfEachPetWinsWhateverTheOrder() {
        List<StateRecord> records = new ArrayList<>();
        for (long pet = 1; pet <= 5; pet++) {
            for (long version = 1; version <= 8; version++) {
                records.add(record(event(pet, version, version == 1 ? Cause.ADOPTED : Cause.FED, 1_000 * version)));
            }
        }
        records.add(record(event(3, 8, Cause.FED, 8_000))); // a duplicate of a newest event
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(records, random);

            PetBatch batch = PetBatch.coalesce(records, PARTITIONS);

            assertThat(batch.records()).isEqualTo(41);
            assertThat(batch.poison()).isEmpty();
            assertThat(batch.worldMismatch()).isNull();
            assertThat(batch.events()).hasSize(5)
                    .allSatisfy(latest -> {
                        assertThat(latest.event().version()).isEqualTo(8);
                        assertThat(latest.event().age()).isEqualTo(8);
                        assertThat(latest.firstAt()).as("earliest event time of the pet").isEqualTo(1_000);
                        assertThat(PetStateCodec.readState(latest.record().value())).isEqualTo(latest.event());
                    });
            assertThat(batch.events()).extracting(l -> l.event().id()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void anOlderReplayNeverBeatsANewerEvent() {
        PetBatch batch = PetBatch.coalesce(List.of(
                record(event(7, 12, Cause.FED, 12_000)),
                record(event(7, 3, Cause.TREAT, 3_000)),
                record(event(7, 11, Cause.FED, 11_000))), PARTITIONS);

        assertThat(batch.events()).singleElement()
                .satisfies(l -> assertThat(l.event().version()).isEqualTo(12))
                .satisfies(l -> assertThat(l.firstAt()).isEqualTo(3_000));
    }

    @Test
    void eachPartitionKeepsItsHighestTickWhateverTheOrderAndTheClocksComeInPartitionOrder() {
        List<StateRecord> records = new ArrayList<>();
        for (int partition = PARTITIONS - 1; partition >= 0; partition--) {
            for (long tick : new long[]{7, 9, 3, 9, 8}) {
                records.add(record(new PartitionTick(partition, PARTITIONS, tick + partition, tick, RULE)));
            }
        }
        records.add(record(event(5, 1, Cause.ADOPTED, 1)));

        PetBatch batch = PetBatch.coalesce(records, PARTITIONS);

        assertThat(batch.poison()).isEmpty();
        assertThat(batch.events()).hasSize(1);
        assertThat(batch.clocks()).extracting(PartitionTick::partition).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(batch.clocks()).allSatisfy(clock -> assertThat(clock.tick()).isEqualTo(9 + clock.partition()));
    }

    @Test
    void poisonIsSetApartWithItsReasonAndTheRestIsKept() {
        PetState nine = event(9, 1, Cause.ADOPTED, 1);
        int home = PetPartitioner.partitionOf(9, PARTITIONS);
        int elsewhere = (home + 1) % PARTITIONS;
        StateRecord garbage = raw("9", "not json", home);
        StateRecord empty = new StateRecord(PetStateCodec.key(9), null, home, offset++);
        StateRecord unknownSpecies = raw("9", PetStateCodec.writeString(nine).replace("\"cat\"", "\"dragon\""), home);
        StateRecord wrongKey = raw("10", PetStateCodec.writeString(nine), home);
        StateRecord wrongPartition = raw("9", PetStateCodec.writeString(nine), elsewhere);
        StateRecord derivedTick = raw("9", PetStateCodec.writeString(nine).replace("\"adopted\"", "\"tick\""), home);
        StateRecord farFuture = raw("9", PetStateCodec.writeString(nine).replace("\"at\":1", "\"at\":253402300800000"), home);
        StateRecord unreadableTick = raw("tick-" + home, "{", home);
        StateRecord tickElsewhere = record(new PartitionTick(elsewhere, PARTITIONS, 4, 4, RULE), home);
        StateRecord tickUnderAnotherKey = raw("tick-" + elsewhere,
                PetStateCodec.writeString(new PartitionTick(home, PARTITIONS, 4, 4, RULE)), home);
        StateRecord good = record(event(9, 2, Cause.FED, 3));
        StateRecord goodTick = record(new PartitionTick(home, PARTITIONS, 4, 4, RULE));

        PetBatch batch = PetBatch.coalesce(List.of(garbage, empty, unknownSpecies, wrongKey, wrongPartition, derivedTick,
                farFuture, unreadableTick, tickElsewhere, tickUnderAnotherKey, good, goodTick), PARTITIONS);

        assertThat(batch.records()).isEqualTo(12);
        assertThat(batch.events()).singleElement().satisfies(l -> assertThat(l.record()).isSameAs(good));
        assertThat(batch.clocks()).containsExactly(PetStateCodec.readTick(goodTick.value()));
        assertThat(batch.worldMismatch()).isNull();
        assertThat(batch.poison()).extracting(DeadLetter::offset).containsExactly(offsets(garbage, empty, unknownSpecies,
                wrongKey, wrongPartition, derivedTick, farFuture, unreadableTick, tickElsewhere, tickUnderAnotherKey));
        assertThat(batch.poison()).allSatisfy(letter -> assertThat(letter.topic()).isEqualTo(Topics.PET_STATE));
        assertThat(batch.poison().get(0).value()).isSameAs(garbage.value());
        assertThat(batch.poison()).extracting(DeadLetter::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("unreadable state"),
                r -> assertThat(r).isEqualTo("empty state record"),
                r -> assertThat(r).startsWith("unreadable state").contains("dragon"),
                r -> assertThat(r).contains("'10'").contains("pet id 9"),
                r -> assertThat(r).isEqualTo("pet 9 lives in partition " + home + ", not " + elsewhere),
                r -> assertThat(r).contains("no event"),
                r -> assertThat(r).contains("253402300800000").contains("outside the years 1 to 9999"),
                r -> assertThat(r).startsWith("unreadable tick"),
                r -> assertThat(r).isEqualTo("the tick of partition " + elsewhere + " is in partition " + home),
                r -> assertThat(r).contains("'tick-" + elsewhere + "' is not the key of partition " + home));
    }

    @Test
    void aTickOfAWorldWithAnotherPartitionCountIsNoPoisonButStopsTheWholeBatch() {
        PartitionTick otherWorld = new PartitionTick(2, PARTITIONS + 2, 40, 40, RULE);
        PetBatch batch = PetBatch.coalesce(List.of(record(event(5, 1, Cause.ADOPTED, 1)),
                record(new PartitionTick(2, PARTITIONS, 39, 39, RULE)), record(otherWorld)), PARTITIONS);

        assertThat(batch.worldMismatch()).isEqualTo(WorldPartitions.mismatch(PARTITIONS, PARTITIONS + 2)).isNotNull();
        assertThat(batch.clocks()).extracting(PartitionTick::tick).as("never the other world's tick").containsExactly(39L);
        assertThat(batch.poison()).isEmpty();
    }

    @Test
    void anEmptyPollIsAnEmptyBatch() {
        PetBatch batch = PetBatch.coalesce(List.of(), PARTITIONS);

        assertThat(batch.records()).isZero();
        assertThat(batch.events()).isEmpty();
        assertThat(batch.clocks()).isEmpty();
        assertThat(batch.poison()).isEmpty();
        assertThat(batch.worldMismatch()).isNull();
    }

    private static Long[] offsets(StateRecord... records) {
        return Arrays.stream(records).map(StateRecord::offset).toArray(Long[]::new);
    }

    private StateRecord record(PetState event) {
        return new StateRecord(PetStateCodec.key(event.id()), PetStateCodec.write(event),
                PetPartitioner.partitionOf(event.id(), PARTITIONS), offset++);
    }

    private StateRecord record(PartitionTick tick) {
        return record(tick, tick.partition());
    }

    private StateRecord record(PartitionTick tick, int partition) {
        return new StateRecord(PetStateCodec.tickKey(tick.partition()), PetStateCodec.write(tick), partition, offset++);
    }

    private StateRecord raw(String key, String value, int partition) {
        return new StateRecord(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), partition,
                offset++);
    }

    private static PetState event(long id, long version, Cause cause, long at) {
        return new PetState(id, "owner-" + id, "Pet " + id, Species.CAT, (int) version, 250, true, version, cause,
                version, at, cause == Cause.ADOPTED ? null : "c-" + version);
    }
}
