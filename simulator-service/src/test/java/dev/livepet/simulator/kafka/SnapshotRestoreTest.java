package dev.livepet.simulator.kafka;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import dev.livepet.simulator.KafkaProbe;
import dev.livepet.simulator.PreloadedWorld;
import dev.livepet.simulator.Simulator;
import dev.livepet.simulator.SimulatorConfig;
import dev.livepet.simulator.WorldConfig;
import dev.livepet.simulator.domain.PetPartition;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulator's own snapshots on the real broker: a restore from them reads less and restores the same pets and
 * clocks as a replay of the whole state topic.
 */
@QuarkusTest
@WithTestResource(PreloadedWorld.class)
class SnapshotRestoreTest {
    private static final int PETS_PER_PARTITION = 20;

    @Inject
    Simulator simulator;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    WorldConfig world;

    @Inject
    SimulatorConfig config;

    @Test
    void theNewestSnapshotsPlusTheRecordsAfterThemRestoreExactlyThePetsAndClocksOfAFullReplay() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        PetStateRestore restorer = new PetStateRestore(new KafkaClients(kafka, "snapshot-test-" + UUID.randomUUID(),
                Duration.ofSeconds(10)), world.rules(), config.recentCommandIds(), 16, Duration.ofMinutes(1));
        String run = UUID.randomUUID().toString();
        try (restorer; KafkaProducer<byte[], byte[]> players = producer(Map.of())) {
            int partitions = players.partitionsFor(Topics.PET_STATE).size();
            List<Integer> all = IntStream.range(0, partitions).boxed().toList();
            long first = 50_000_000_000L;
            List<Long> pets = LongStream.range(first, first + (long) PETS_PER_PARTITION * partitions).boxed().toList();
            for (long id : pets) {
                send(players, new AdoptCommand("adopt-" + run + "-" + id, id, "snapper", "Snap " + id, Species.FOX));
                if (id % 3 == 0) {
                    send(players, new FeedCommand("meal-" + run + "-" + id, id, Food.MEAL, "snapper"));
                }
            }
            // every partition has pets now: each gets a snapshot once they are committed, and ticks on after it
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                PetStateRestore.Restored r = restorer.restore(all, partitions, true);
                return r.fromSnapshots() == partitions && r.snapshotPets() >= pets.size();
            });
            simulator.stop();
            try {
                // records that surely follow every snapshot: a newer version of one pet per partition, a stale copy of
                // another, and the partition's next tick
                PetStateRestore.Restored before = restorer.restore(all, partitions, false);
                try (KafkaProducer<byte[], byte[]> other = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "other-" + run))) {
                    other.initTransactions();
                    other.beginTransaction();
                    for (PetPartition p : before.pets().values()) {
                        long mine = pets.stream().filter(id -> PetPartitioner.partitionOf(id, partitions) == p.partition())
                                .findFirst().orElseThrow();
                        int slot = p.slotOf(mine);
                        long tick = p.clock().tick();
                        PetState newer = new PetState(p.id(slot), p.owner(slot), p.name(slot), p.species(slot), p.age(slot),
                                0, true, p.version(slot) + 1, Cause.FED, tick, System.currentTimeMillis(),
                                "tail-" + run + "-" + p.partition());
                        PetState stale = new PetState(p.id(slot + 1), p.owner(slot + 1), p.name(slot + 1), p.species(slot + 1),
                                0, 499, true, 1, Cause.ADOPTED, 0, 0, null);
                        PartitionTick next = new PartitionTick(p.partition(), partitions, tick + 1, System.currentTimeMillis(),
                                world.rules().tickRule());
                        other.send(new ProducerRecord<>(Topics.PET_STATE, p.partition(), key(newer.id()), PetStateCodec.write(newer)));
                        other.send(new ProducerRecord<>(Topics.PET_STATE, p.partition(), key(stale.id()), PetStateCodec.write(stale)));
                        other.send(new ProducerRecord<>(Topics.PET_STATE, p.partition(), PetStateCodec.tickKey(p.partition()),
                                PetStateCodec.write(next)));
                    }
                    other.commitTransaction();
                }

                PetStateRestore.Restored full = restorer.restore(all, partitions, false);
                PetStateRestore.Restored fast = restorer.restore(all, partitions, true);

                assertThat(full.fromSnapshots()).isZero();
                assertThat(fast.fromSnapshots()).isEqualTo(partitions);
                assertThat(fast.stateRecords()).as("records read after the snapshots")
                        .isGreaterThanOrEqualTo(3L * partitions).isLessThan(full.stateRecords());
                for (int p : all) {
                    PetPartition expected = full.pets().get(p);
                    PetPartition actual = fast.pets().get(p);
                    assertThat(actual.size()).as("pets of partition %d", p).isEqualTo(expected.size()).isPositive();
                    assertThat(actual.aliveCount()).isEqualTo(expected.aliveCount());
                    assertThat(actual.clock().tick()).as("clock of partition %d", p)
                            .isEqualTo(expected.clock().tick()).isEqualTo(before.pets().get(p).clock().tick() + 1);
                    assertThat(actual.clock().at()).isEqualTo(expected.clock().at());
                    for (int s = 0; s < expected.size(); s++) {
                        int a = actual.slotOf(expected.id(s));
                        assertThat(a).as("pet %d", expected.id(s)).isNotNegative();
                        assertThat(actual.now(a)).isEqualTo(expected.now(s));
                        assertThat(actual.eventTick(a)).isEqualTo(expected.eventTick(s));
                    }
                    assertThat(actual.recentCommandIds()).as("commands remembered in partition %d", p)
                            .isEqualTo(expected.recentCommandIds()).contains("tail-" + run + "-" + p);
                }
            } finally {
                simulator.start();
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
    }

    @Test
    void aPartitionIsSnapshottedAgainOnlyOnceItsPetsChanged() {
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        try (KafkaProbe probe = new KafkaProbe((String) kafka.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))) {
            // quiet: three ticks of every partition pass without a snapshot (each had its first since the restore)
            Map<TopicPartition, Long> quiet = await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<TopicPartition, Long> before = probe.endOffsets(Topics.PET_SNAPSHOTS);
                long tick = lastTick(probe.ticksSoFar(0));
                probe.ticks(0, t -> t.get(t.size() - 1).tick() >= tick + 3);
                return probe.endOffsets(Topics.PET_SNAPSHOTS).equals(before) ? before : null;
            }, java.util.Objects::nonNull);
            long pet = LongStream.iterate(60_000_000_000L, id -> id + 1).filter(id -> probe.partitionOf(id) == 1)
                    .findFirst().orElseThrow();
            probe.send(new AdoptCommand("adopt-" + UUID.randomUUID(), pet, "snapper", "Changed", Species.CAT));

            Map<TopicPartition, Long> after = await().atMost(Duration.ofSeconds(60)).until(
                    () -> probe.endOffsets(Topics.PET_SNAPSHOTS), offsets -> offsets.get(snapshots(1)) > quiet.get(snapshots(1)));
            for (int p = 0; p < probe.partitions(); p++) {
                if (p != 1) {
                    assertThat(after.get(snapshots(p))).as("snapshots of quiet partition %d", p).isEqualTo(quiet.get(snapshots(p)));
                }
            }
        }
    }

    private static TopicPartition snapshots(int partition) {
        return new TopicPartition(Topics.PET_SNAPSHOTS, partition);
    }

    private static long lastTick(List<PartitionTick> ticks) {
        return ticks.get(ticks.size() - 1).tick();
    }

    private KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>(extra);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, PetCommand command) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, key(command.petId()), PetJson.write(command))).get();
    }

    private static byte[] key(long petId) {
        return PetPartitioner.key(petId).getBytes(StandardCharsets.UTF_8);
    }
}
