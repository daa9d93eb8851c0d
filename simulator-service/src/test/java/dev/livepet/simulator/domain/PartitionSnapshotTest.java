package dev.livepet.simulator.domain;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionSnapshotTest {
    private static final int PARTITIONS = 4;
    private static final int PARTITION = 1;
    private static final long AT = 1_700_000_000_000L;
    // pets die on their ninth tick, so that the steps before and after the snapshot see births, meals and deaths
    private final WorldRules rules = new WorldRules(Duration.ofSeconds(5), new TickRule(1, 5, 500), 8, 100, 20, 250, 3, 100);
    // the state topic of one partition: every published event and tick as key and value, in offset order
    private final List<byte[][]> log = new ArrayList<>();
    private final PetChangeSink toLog = (partition, event) ->
            log.add(new byte[][]{PetStateCodec.key(event.id()), PetStateCodec.write(event)});

    private void tick(PetPartition pets, long at) {
        pets.tick(at, toLog);
        PartitionTick tick = new PartitionTick(pets.partition(), PARTITIONS, pets.clock().tick(), at, rules.tickRule());
        log.add(new byte[][]{PetStateCodec.tickKey(pets.partition()), PetStateCodec.write(tick)});
    }

    private static int[] seedIds(int pets) {
        return SeedPets.idsByPartition(pets, PARTITIONS)[PARTITION];
    }

    @Test
    void aSnapshotPlusTheStatesAfterItsOffsetRestoresExactlyWhatAFullReplayRestores() {
        Random random = new Random(7);
        PetPartition live = new PetPartition(PARTITION, rules, 50);
        int[] seeded = seedIds(2_000);
        live.seed(seeded, 0, seeded.length, AT, toLog);
        long[] mine = ids(300);
        byte[] snapshot = null;
        for (int step = 0; step < 120; step++) {
            if (step < mine.length / 3) {
                long id = mine[step];
                live.adopt(new AdoptCommand("adopt-" + id, id, "owner-" + random.nextInt(5), name(random), species(random)), AT, toLog);
            }
            for (int feeds = 0; feeds < 3; feeds++) {
                long id = mine[random.nextInt(Math.min(mine.length / 3, step + 1))];
                if (!live.alive(live.slotOf(id))) {
                    continue; // a meal for a dead pet is remembered but publishes nothing, so no replay could know it
                }
                live.feed(new FeedCommand("feed-" + step + "-" + feeds, id, random.nextBoolean() ? Food.MEAL : Food.TREAT, "g"), AT, toLog);
            }
            if (step % 2 == 0) {
                tick(live, AT + step);
            }
            if (step == 70) {
                // taken between steps: the partition equals every record before the log's end
                snapshot = PartitionSnapshot.write(live, PARTITIONS, log.size(), AT + step);
            }
        }

        PetPartition replayed = replay(new PetPartition(PARTITION, rules, 50), 0);
        PartitionSnapshot.Loaded loaded = PartitionSnapshot.read(snapshot, PARTITION, rules, 50);
        PetPartition fromSnapshot = replay(loaded.pets(), loaded.coveredOffset());

        assertThat(loaded.coveredOffset()).isBetween(1L, (long) log.size() - 1);
        assertThat(loaded.partitionCount()).isEqualTo(PARTITIONS);
        assertThat(live.clock().tick()).isEqualTo(60);
        assertThat(live.size() - live.aliveCount()).as("some pets died").isPositive();
        assertSamePets(fromSnapshot, replayed);
        assertSamePets(fromSnapshot, live);
        assertThat(fromSnapshot.recentCommandIds()).isEqualTo(replayed.recentCommandIds()).hasSize(50);
    }

    @Test
    void everyFieldSurvivesTheRoundTripIncludingOddNamesDeadPetsAndRememberedCommands() {
        PetPartition pets = new PetPartition(PARTITION, rules, 10);
        pets.seed(seedIds(100), 0, seedIds(100).length, AT, toLog);
        long[] ids = ids(4);
        pets.adopt(new AdoptCommand("a1", ids[0], "alice", "Zoë the \"great\" \\ 🐢", Species.SEA_TURTLE), AT, toLog);
        pets.adopt(new AdoptCommand("a2", ids[1], "bob", "lone \uD800 surrogate", Species.TOTORO), AT, toLog);
        pets.adopt(new AdoptCommand("a3", ids[2], "alice", "nul \u0000 and é", Species.PHOENIX), AT, toLog);
        for (int t = 0; t < 45; t++) {
            tick(pets, AT + t);
        }
        pets.adopt(new AdoptCommand("a4", ids[3], "carol", "Newborn", Species.CRAB), AT, toLog);
        tick(pets, AT + 45);
        pets.feed(new FeedCommand("f1", ids[3], Food.MEAL, "carol"), AT, toLog);
        tick(pets, AT + 46);

        byte[] bytes = PartitionSnapshot.write(pets, PARTITIONS, 1234, AT);
        PartitionSnapshot.Loaded loaded = PartitionSnapshot.read(bytes, PARTITION, rules, 10);

        assertThat(loaded.coveredOffset()).isEqualTo(1234);
        assertThat(loaded.takenAt()).isEqualTo(AT);
        assertThat(loaded.partitionCount()).isEqualTo(PARTITIONS);
        assertThat(loaded.pets().clock().tick()).isEqualTo(47);
        assertThat(loaded.pets().clock().at()).isEqualTo(AT + 46);
        int newborn = loaded.pets().slotOf(ids[3]);
        assertThat(loaded.pets().eventTick(newborn)).isEqualTo(46);
        assertThat(loaded.pets().now(newborn).age()).isEqualTo(2);
        assertSamePets(loaded.pets(), pets);
        assertThat(loaded.pets().aliveCount()).isEqualTo(1).isEqualTo(pets.aliveCount());
        assertThat(loaded.pets().name(loaded.pets().slotOf(ids[1]))).isEqualTo("lone \uD800 surrogate");
        assertThat(loaded.pets().recentCommandIds()).containsExactly("a1", "a2", "a3", "a4", "f1");
        assertThat(loaded.pets().feed(new FeedCommand("f1", ids[3], Food.MEAL, "carol"), AT, toLog))
                .as("a retried command is still known after the restore").isEqualTo(CommandOutcome.DUPLICATE);
    }

    @Test
    void anEmptyPartitionRoundTrips() {
        PetPartition empty = new PetPartition(PARTITION, rules, 10);

        PartitionSnapshot.Loaded loaded = PartitionSnapshot.read(PartitionSnapshot.write(empty, PARTITIONS, 0, AT),
                PARTITION, rules, 10);

        assertThat(loaded.pets().size()).isZero();
        assertThat(loaded.pets().partition()).isEqualTo(PARTITION);
    }

    @Test
    void aSnapshotOfAnotherFormatPartitionOrLayoutOrCutShortIsRefusedWithAReason() {
        PetPartition pets = new PetPartition(PARTITION, rules, 10);
        pets.seed(seedIds(100), 0, seedIds(100).length, AT, toLog);
        byte[] bytes = PartitionSnapshot.write(pets, PARTITIONS, 10, AT);
        byte[] formatOne = bytes.clone();
        ByteBuffer.wrap(formatOne).putShort(4, (short) 1);
        byte[] newer = bytes.clone();
        ByteBuffer.wrap(newer).putShort(4, (short) 3);
        byte[] notOne = bytes.clone();
        notOne[0] = 'X';

        assertThatThrownBy(() -> PartitionSnapshot.read(formatOne, PARTITION, rules, 10))
                .as("format 1 held no event ticks and no clock").hasMessageContaining("format 1");
        assertThatThrownBy(() -> PartitionSnapshot.read(newer, PARTITION, rules, 10))
                .hasMessageContaining("format 3");
        assertThatThrownBy(() -> PartitionSnapshot.read(notOne, PARTITION, rules, 10))
                .hasMessageContaining("not a partition snapshot");
        assertThatThrownBy(() -> PartitionSnapshot.read(bytes, PARTITION + 1, rules, 10))
                .hasMessageContaining("partition " + PARTITION + " of " + PARTITIONS);
        assertThatThrownBy(() -> PartitionSnapshot.read(Arrays.copyOf(bytes, bytes.length - 3), PARTITION, rules, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> PartitionSnapshot.read(Arrays.copyOf(bytes, bytes.length + 1), PARTITION, rules, 10))
                .hasMessageContaining("after the end");
    }

    @Test
    void aSnapshotTellsTheWorldsPartitionCountItWasTakenIn() {
        PetPartition pets = new PetPartition(PARTITION, rules, 10);

        PartitionSnapshot.Loaded loaded = PartitionSnapshot.read(PartitionSnapshot.write(pets, 12, 0, AT), PARTITION, rules, 10);

        assertThat(loaded.partitionCount()).isEqualTo(12);
    }

    @Test
    void chunksPutBackTogetherGiveTheNewestCompleteSnapshot() {
        byte[] older = payload(2_500, 1);
        byte[] newer = payload(1_500, 2);
        List<SnapshotChunks.Chunk> olderChunks = SnapshotChunks.split(PARTITION, 11, older, 1_000);
        List<SnapshotChunks.Chunk> newerChunks = SnapshotChunks.split(PARTITION, 22, newer, 1_000);

        assertThat(olderChunks).hasSize(3);
        assertThat(newerChunks).extracting(c -> new String(c.key())).containsExactly(PARTITION + "/0", PARTITION + "/1");
        assertThat(newerChunks).allSatisfy(c -> assertThat(c.value().length).isLessThanOrEqualTo(1_000 + SnapshotChunks.HEADER_BYTES));

        SnapshotChunks.Assembly both = new SnapshotChunks.Assembly(PARTITION);
        olderChunks.forEach(c -> both.add(c.value()));
        newerChunks.forEach(c -> both.add(c.value()));
        assertThat(both.newestComplete()).isEqualTo(newer);
        assertThat(both.newestIsIncomplete()).isFalse();

        // after compaction only the older snapshot's third chunk survives beside the newer one
        SnapshotChunks.Assembly compacted = new SnapshotChunks.Assembly(PARTITION);
        compacted.add(olderChunks.get(2).value());
        newerChunks.forEach(c -> compacted.add(c.value()));
        assertThat(compacted.newestComplete()).isEqualTo(newer);

        // reading began inside the newer snapshot: the older one is complete but not the newest
        SnapshotChunks.Assembly cut = new SnapshotChunks.Assembly(PARTITION);
        olderChunks.forEach(c -> cut.add(c.value()));
        cut.add(newerChunks.get(1).value());
        assertThat(cut.newestComplete()).isEqualTo(older);
        assertThat(cut.newestIsIncomplete()).isTrue();
        assertThat(cut.newestChunkCount()).isEqualTo(2);

        SnapshotChunks.Assembly strangers = new SnapshotChunks.Assembly(PARTITION);
        SnapshotChunks.split(PARTITION + 1, 33, newer, 1_000).forEach(c -> strangers.add(c.value()));
        strangers.add("not a chunk".getBytes());
        strangers.add(null);
        assertThat(strangers.newestComplete()).isNull();
        assertThat(strangers.unreadable()).isEqualTo(4);
    }

    @Test
    void anEmptyPayloadIsOneChunk() {
        List<SnapshotChunks.Chunk> chunks = SnapshotChunks.split(PARTITION, 1, new byte[0], 1_000);
        SnapshotChunks.Assembly assembly = new SnapshotChunks.Assembly(PARTITION);
        chunks.forEach(c -> assembly.add(c.value()));

        assertThat(chunks).hasSize(1);
        assertThat(assembly.newestComplete()).isEmpty();
    }

    private PetPartition replay(PetPartition pets, long fromOffset) {
        for (int offset = (int) fromOffset; offset < log.size(); offset++) {
            PetStateRecord record = PetStateCodec.read(log.get(offset)[0], log.get(offset)[1], PARTITION, PARTITIONS);
            if (record instanceof PetState event) {
                pets.restore(event);
            } else {
                pets.restoreClock((PartitionTick) record);
            }
        }
        pets.trimToSize();
        return pets;
    }

    private static void assertSamePets(PetPartition actual, PetPartition expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual.aliveCount()).isEqualTo(expected.aliveCount());
        assertThat(actual.clock().tick()).isEqualTo(expected.clock().tick());
        assertThat(actual.clock().at()).isEqualTo(expected.clock().at());
        for (int s = 0; s < expected.size(); s++) {
            long id = expected.id(s);
            int a = actual.slotOf(id);
            assertThat(a).as("pet %d", id).isGreaterThanOrEqualTo(0);
            assertThat(actual.now(a)).as("pet %d", id).isEqualTo(expected.now(s));
            assertThat(actual.eventTick(a)).as("pet %d", id).isEqualTo(expected.eventTick(s));
        }
    }

    /** Ids of this test's partition beyond the seeded ones. */
    private static long[] ids(int n) {
        return LongStream.iterate(1_000_000, id -> id + 1).filter(id -> PetPartitioner.partitionOf(id, PARTITIONS) == PARTITION)
                .limit(n).toArray();
    }

    private static String name(Random random) {
        return "Pet " + (char) ('A' + random.nextInt(26)) + random.nextInt(1000);
    }

    private static Species species(Random random) {
        return Species.values()[random.nextInt(Species.values().length)];
    }

    private static byte[] payload(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
