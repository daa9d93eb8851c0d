package dev.livepet.simulator;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.livepet.simulator.SimulatorTest.eventOf;
import static dev.livepet.simulator.SimulatorTest.newId;
import static dev.livepet.simulator.SimulatorTest.newPetId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands take the fast lane: each poll's commands are committed in a transaction of their own, never in one with
 * tick records. Kafka writes a commit marker into every partition a transaction wrote to, so records of two
 * transactions are never at neighbouring offsets; records at neighbouring offsets of one writer are one transaction.
 */
@QuarkusTest
@WithTestResource(PreloadedWorld.class)
class FastLaneTest {
    @Inject
    Simulator simulator;

    @Inject
    WorldConfig world;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void commandsPolledWhileTicksComeDueAreNeverInTheTransactionOfATickRecord() {
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        try (KafkaProbe probe = new KafkaProbe(bootstrapServers)) {
            long pet = newPetId();
            int partition = probe.partitionOf(pet);
            probe.send(new AdoptCommand(newId("adopt"), pet, "fran", "Speedy", Species.RABBIT));
            // meals one after the other for six tick intervals: polls keep coming while ticks come due
            long until = System.currentTimeMillis() + 6 * world.tickInterval().toMillis();
            String last = null;
            int sent = 0;
            while (System.currentTimeMillis() < until) {
                last = newId("meal");
                probe.send(new FeedCommand(last, pet, sent % 2 == 0 ? Food.MEAL : Food.TREAT, "fran"));
                sent++;
            }
            String lastMeal = last;
            List<PetState> events = probe.events(pet, e -> eventOf(e, lastMeal) != null);
            List<KafkaProbe.Read> records = probe.records(partition, r -> r.stream()
                    .anyMatch(read -> read.commandEvent() != null && lastMeal.equals(read.commandEvent().command())));

            assertThat(events).as("every command applied once").hasSize(sent + 1);
            // from the adoption on: the partition may hold records written before without transactions (preloaded)
            long adoptedAt = offsetOf(records, events.get(0));
            List<KafkaProbe.Read> ours = records.stream().filter(r -> r.offset() >= adoptedAt).toList();
            assertThat(ours.stream().filter(KafkaProbe.Read::isTick).count()).as("ticks came due while the commands came")
                    .isGreaterThanOrEqualTo(3);
            for (List<KafkaProbe.Read> transaction : transactions(ours)) {
                boolean commands = transaction.stream().anyMatch(r -> r.commandEvent() != null);
                boolean ticks = transaction.stream().anyMatch(KafkaProbe.Read::isTick);
                assertThat(commands && ticks).as("a transaction at offsets %d..%d holds commands and a tick",
                        transaction.get(0).offset(), transaction.get(transaction.size() - 1).offset()).isFalse();
            }
        }
    }

    /** The records grouped by neighbouring offsets: a commit marker lies between two transactions. */
    static List<List<KafkaProbe.Read>> transactions(List<KafkaProbe.Read> records) {
        List<List<KafkaProbe.Read>> transactions = new ArrayList<>();
        List<KafkaProbe.Read> current = new ArrayList<>();
        for (KafkaProbe.Read record : records) {
            if (!current.isEmpty() && record.offset() != current.get(current.size() - 1).offset() + 1) {
                transactions.add(current);
                current = new ArrayList<>();
            }
            current.add(record);
        }
        if (!current.isEmpty()) {
            transactions.add(current);
        }
        return transactions;
    }

    private static long offsetOf(List<KafkaProbe.Read> records, PetState event) {
        return records.stream().filter(r -> event.equals(r.record())).findFirst().orElseThrow().offset();
    }
}
