package dev.livepet.persistence;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.stack.LocalStackTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PostgreSQL refuses the service for a while: nothing is acknowledged meanwhile, nothing is lost afterwards. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class PostgresOutageTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SUPERUSER = "postgres";
    private static final PetStateTopic TOPIC = new PetStateTopic();

    @Inject
    MeterRegistry registry;

    @AfterAll
    static void closeClients() {
        TOPIC.close();
    }

    @Test
    void holdsTheOffsetsWhilePostgresqlIsAwayAndWritesEverythingWhenItIsBack() {
        long id = PetHistories.newPetId();
        int partition = PetHistories.partitionOf(id);
        List<PetState> history = PetHistories.history(id, 3);
        PartitionTick tick = PetHistories.tick(partition, PetHistories.nextTicks(partition, 1));
        try {
            // the service's role may no longer log in and loses its connections: to the service, PostgreSQL is down
            PetRows.execute(SUPERUSER, "ALTER ROLE livepet NOLOGIN");
            PetRows.execute(SUPERUSER, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'livepet'");

            TOPIC.sendAll(history.subList(0, 2));
            TOPIC.send(history.get(2));
            RecordMetadata last = TOPIC.send(tick);

            await().atMost(PATIENCE).until(() -> outage() == 1.0);
            // several commit intervals pass: the held batch must neither be committed nor (of course) be written
            await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() ->
                    TOPIC.committed(last.partition()) <= last.offset()
                            && PetRows.read(List.of(id), SUPERUSER).isEmpty()
                            && PetRows.clock(partition, SUPERUSER).map(PetRows.Clock::tick).orElse(0L) < tick.tick()
                            && outage() == 1.0);
        } finally {
            PetRows.execute(SUPERUSER, "ALTER ROLE livepet LOGIN");
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(PetRows.read(List.of(id)).get(id)).isNotNull()
                    .satisfies(row -> assertThat(row.version()).isEqualTo(3));
            assertThat(PetRows.clock(partition)).get().extracting(PetRows.Clock::tick).isEqualTo(tick.tick());
        });
        await().atMost(PATIENCE).until(() -> outage() == 0.0);
        await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);
    }

    private double outage() {
        return registry.get("livepet.persistence.postgres.outage").gauge().value();
    }
}
