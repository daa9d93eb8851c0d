package dev.livepet.simulator.kafka;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.simulator.KafkaProbe;
import dev.livepet.simulator.PreloadedWorld;
import dev.livepet.simulator.Simulator;
import dev.livepet.simulator.WorldConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second simulator instance joins the group and leaves it again while players keep feeding: partitions move to it
 * and back, and still every command is applied exactly once, every pet's versions and every partition's ticks go on
 * one by one; and neither instance fails a transaction on the way (each failure restores every partition it owns).
 */
@QuarkusTest
@WithTestResource(PreloadedWorld.class)
class RebalanceTest {
    @Inject
    Simulator simulator;

    @Inject
    WorldConfig world;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    MeterRegistry registry;

    @Test
    void partitionsMovingToASecondInstanceAndBackApplyEveryCommandOnceAndKeepTheirClocks() {
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        try (KafkaProbe probe = new KafkaProbe((String) kafka.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))) {
            List<Long> pets = new ArrayList<>();
            for (int p = 0; p < probe.partitions(); p++) {
                int partition = p;
                long pet = LongStream.iterate(70_000_000_000L, id -> id + 1).filter(id -> probe.partitionOf(id) == partition)
                        .findFirst().orElseThrow();
                probe.send(new AdoptCommand("adopt-" + UUID.randomUUID(), pet, "rita", "Nomad " + p, Species.FOX));
                pets.add(pet);
            }
            List<String> treats = new ArrayList<>();
            double failedBefore = failedTransactions(registry);
            SimpleMeterRegistry secondsMeters = new SimpleMeterRegistry();
            SimulatorLoop second = SimulatorLoop.create(new KafkaClients(kafka, "second-" + UUID.randomUUID(),
                            Duration.ofSeconds(10)), world.rules(), new SimulatorLoop.Settings(0, Duration.ofMillis(200), 1,
                            524_288, 250_000, Duration.ofMillis(100)), 10_000, 1_024, Duration.ofMinutes(1),
                    new SimulatorMetrics(secondsMeters));
            second.start();
            try {
                feedUntil(probe, pets, treats, () -> second.ready() && simulator.ready()
                        && simulator.partitionsOwned() + second.partitionsOwned() == probe.partitions());
                assertThat(second.partitionsOwned()).as("partitions the second instance took").isPositive();
                assertThat(simulator.partitionsOwned()).as("partitions the first kept").isPositive();
                assertThat(second.pets()).as("pets the second instance restored").isPositive();
                int fed = treats.size();
                feedUntil(probe, pets, treats, () -> treats.size() >= fed + 5 * pets.size());
            } finally {
                second.stop(Duration.ofSeconds(15));
            }
            feedUntil(probe, pets, treats, () -> simulator.ready() && simulator.partitionsOwned() == probe.partitions());
            // a commit inside a rebalance is refused by the group's new generation: the loops wait rebalances out
            assertThat(failedTransactions(registry) - failedBefore).as("transactions the first instance failed").isZero();
            assertThat(failedTransactions(secondsMeters)).as("transactions the second instance failed").isZero();

            for (long pet : pets) {
                // the last round gave one treat to each pet, in order
                String last = treats.get(treats.size() - pets.size() + pets.indexOf(pet));
                List<PetState> events = probe.events(pet, e -> e.stream().anyMatch(s -> last.equals(s.command())));
                Map<String, Long> byCommand = events.stream().filter(e -> e.command() != null && e.command().startsWith("treat-"))
                        .collect(Collectors.groupingBy(PetState::command, Collectors.counting()));
                List<String> mine = treats.stream().filter(t -> t.endsWith("-" + pet)).toList();
                assertThat(byCommand.keySet()).as("treats of pet %d applied", pet).containsExactlyInAnyOrderElementsOf(mine);
                assertThat(byCommand.values()).as("each once").containsOnly(1L);
                for (int i = 0; i < events.size(); i++) {
                    assertThat(events.get(i).version()).as("version of pet %d", pet).isEqualTo(i + 1);
                }
            }
            for (int p = 0; p < probe.partitions(); p++) {
                List<PartitionTick> ticks = probe.ticksSoFar(p);
                for (int i = 0; i < ticks.size(); i++) {
                    assertThat(ticks.get(i).tick()).as("tick %d of partition %d", i + 1, p).isEqualTo(i + 1);
                }
            }
        }
    }

    private static double failedTransactions(MeterRegistry meters) {
        return meters.get("livepet.simulator.transactions.failed").counter().count();
    }

    /** Gives every pet a treat, round after round, until {@code done}; each treat's id ends with its pet's id. */
    private static void feedUntil(KafkaProbe probe, List<Long> pets, List<String> treats, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("still waiting after 90 s of treats").isLessThan(deadline);
            for (long pet : pets) {
                String treat = "treat-" + UUID.randomUUID() + "-" + pet;
                probe.send(new FeedCommand(treat, pet, Food.TREAT, "rita"));
                treats.add(treat);
            }
        }
    }
}
