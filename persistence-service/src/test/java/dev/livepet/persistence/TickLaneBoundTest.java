package dev.livepet.persistence;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The tick lane's memory bound: past the configured number of waiting pets it flushes without its interval. */
@QuarkusTest
@TestProfile(TickLaneBoundTest.FewPendingPets.class)
@WithTestResource(LocalStackTestResource.class)
class TickLaneBoundTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final PetStateTopic TOPIC = new PetStateTopic();

    public static class FewPendingPets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livepet.persistence.tick-flush-interval", "1h",
                    "livepet.persistence.tick-max-pending-pets", "5");
        }
    }

    @AfterAll
    static void closeClients() {
        TOPIC.close();
    }

    @Test
    void tickOnlyStatesAreWrittenEarlyOnceTooManyPetsWaitAlthoughTheIntervalNeverElapses() {
        List<Long> ids = new ArrayList<>();
        List<PetState> ticks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long id = PetStatePersistenceTest.newPetId();
            ids.add(id);
            ticks.add(PetStatePersistenceTest.history(id, 2).get(1));
        }
        assertThat(ticks).extracting(PetState::cause).containsOnly(Cause.TICK);

        TOPIC.sendAll(ticks);

        // with a one-hour interval, only the bound can have flushed them
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(PetRows.read(ids)).hasSize(5)
                .allSatisfy((id, row) -> assertThat(row.version()).isEqualTo(2)));
    }
}
