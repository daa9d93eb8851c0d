package dev.livepet.simulator;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.livepet.simulator.SimulatorTest.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deaths on the real broker: a pet dies on the first tick that takes its age above max-age, as a died event published
 * before its partition's tick record; when more pets die at a tick than a transaction holds, the deaths go out in
 * several transactions and the tick record comes with the last of them.
 */
@QuarkusTest
@WithTestResource(ShortLivedWorld.class)
class DeathsTest {
    private static final int PETS = 12;

    @Inject
    Simulator simulator;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void petsDieAsEventsOnTheirTickBeforeItsTickRecordInTransactionsOfAtMostThreeDeaths() {
        await().atMost(Duration.ofSeconds(60)).until(simulator::ready);
        try (KafkaProbe probe = new KafkaProbe(bootstrapServers)) {
            List<Long> pets = LongStream.iterate(1_000, id -> id + 1)
                    .filter(id -> PetPartitioner.partitionOf(id, ShortLivedWorld.PARTITIONS) == 0).limit(PETS).boxed().toList();
            for (long pet : pets) {
                probe.send(new AdoptCommand(newId("adopt"), pet, "gus", "Mayfly " + pet, Species.FISH));
            }
            List<KafkaProbe.Read> records = probe.records(0, r -> diedEvents(r).size() == PETS
                    && lastTick(r) >= diedEvents(r).stream().mapToLong(PetState::tick).max().orElseThrow());

            Map<Long, PetState> adopted = records.stream().map(KafkaProbe.Read::record)
                    .filter(r -> r instanceof PetState s && s.cause() == Cause.ADOPTED).map(PetState.class::cast)
                    .collect(Collectors.toMap(PetState::id, s -> s));
            assertThat(adopted.keySet()).containsExactlyInAnyOrderElementsOf(pets);
            for (PetState died : diedEvents(records)) {
                PetState born = adopted.get(died.id());
                assertThat(died.tick()).as("%s", died).isEqualTo(born.tick() + ShortLivedWorld.MAX_AGE + 1);
                assertThat(died.age()).isEqualTo(ShortLivedWorld.MAX_AGE + 1);
                assertThat(died.hunger()).isEqualTo(250 + 5 * (ShortLivedWorld.MAX_AGE + 1));
                assertThat(died.version()).isEqualTo(2);
                assertThat(died.alive()).isFalse();
                assertThat(died.command()).isNull();
            }
            Map<Long, List<KafkaProbe.Read>> deathsByTick = new TreeMap<>(records.stream()
                    .filter(r -> r.record() instanceof PetState s && s.cause() == Cause.DIED)
                    .collect(Collectors.groupingBy(r -> ((PetState) r.record()).tick())));
            assertThat(deathsByTick.values()).as("a tick at which more pets die than one transaction holds")
                    .anyMatch(d -> d.size() > ShortLivedWorld.EVENTS_PER_TRANSACTION);
            List<List<KafkaProbe.Read>> transactions = FastLaneTest.transactions(records);
            deathsByTick.forEach((tick, deaths) -> {
                KafkaProbe.Read tickRecord = records.stream()
                        .filter(r -> r.record() instanceof PartitionTick t && t.tick() == tick).findFirst().orElseThrow();
                KafkaProbe.Read lastDeath = deaths.get(deaths.size() - 1);
                assertThat(deaths).allSatisfy(d -> assertThat(d.offset()).isLessThan(tickRecord.offset()));
                assertThat(transactionOf(transactions, lastDeath)).as("the tick record comes with the last deaths of tick %d", tick)
                        .contains(tickRecord);
                Set<List<KafkaProbe.Read>> holding = deaths.stream().map(d -> transactionOf(transactions, d))
                        .collect(Collectors.toSet());
                assertThat(holding).as("the transactions of the deaths at tick %d", tick)
                        .hasSize((deaths.size() + ShortLivedWorld.EVENTS_PER_TRANSACTION - 1) / ShortLivedWorld.EVENTS_PER_TRANSACTION)
                        .allSatisfy(t -> assertThat(t.stream().filter(deaths::contains)).hasSizeLessThanOrEqualTo(
                                ShortLivedWorld.EVENTS_PER_TRANSACTION));
            });
        }
    }

    private static List<PetState> diedEvents(List<KafkaProbe.Read> records) {
        return records.stream().map(KafkaProbe.Read::record)
                .filter(r -> r instanceof PetState s && s.cause() == Cause.DIED).map(PetState.class::cast).toList();
    }

    private static long lastTick(List<KafkaProbe.Read> records) {
        return records.stream().map(KafkaProbe.Read::record).filter(r -> r instanceof PartitionTick)
                .mapToLong(r -> ((PartitionTick) r).tick()).max().orElse(0);
    }

    private static List<KafkaProbe.Read> transactionOf(List<List<KafkaProbe.Read>> transactions, KafkaProbe.Read record) {
        return transactions.stream().filter(t -> t.contains(record)).findFirst().orElseThrow();
    }
}
