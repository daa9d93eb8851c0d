package dev.livepet.viewer.stream;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.Species;
import dev.livepet.contract.WorldPartitions;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The partition-count guard: a viewer does not start on topics of another partition count than the world's ticks
 * recorded in PostgreSQL, and a running one whose stream brings a tick of another count is not ready, and says why.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class WorldPartitionsTest {
    // a partition no topic of the test stack has: a clock of it touches no pet of the other tests
    private static final int FOREIGN_PARTITION = 99;

    @TestHTTPResource("/")
    URI base;

    @Inject
    PetStateConsumer consumer;

    @Inject
    PetWatches watches;

    @Test
    void theStartRefusesAWorldWhoseTicksRecordedAnotherPartitionCount() {
        int count = PetTopics.partitions();
        PetsTable.clock(new PartitionTick(FOREIGN_PARTITION, FOREIGN_PARTITION + 1, 1, System.currentTimeMillis(),
                PetTopics.RULE));
        try {
            // what Quarkus calls at start: it throws, so the application does not start, with the guard's sentence
            assertThatThrownBy(() -> consumer.start(new StartupEvent()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(WorldPartitions.mismatch(count, FOREIGN_PARTITION + 1));
        } finally {
            PetsTable.forgetClock(FOREIGN_PARTITION);
        }
        // the world as recorded again: the same check lets it start
        consumer.refuseAnotherWorld(count);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aTickOfAnotherPartitionCountMakesTheStreamNotReadyAndAdvancesNothingUntilThePartitionTicksRightAgain() {
        int count = PetTopics.partitions();
        TestPlayer player = TestPlayer.register();
        long petId = PetsTable.freshId();
        int partition = PetTopics.partitionOf(petId);
        long tick = PetTopics.clock(partition);
        PetsTable.insert(petId, player.id(), "Steady", Species.FISH, 10, 100, true, 3);
        WebSocketClientConnection browser = BasicWebSocketConnector.create().baseUri(base)
                .path("/pets/" + petId + "/live").addHeader("Cookie", TestPlayer.SESSION + "=" + player.session())
                .onTextMessage((c, fragment) -> { }).connectAndAwait();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> watches.latest(petId).isPresent());

            PartitionTick next = PetTopics.nextTick(partition, System.currentTimeMillis());
            PetTopics.publish(new PartitionTick(partition, count + 1, next.tick(), next.at(), PetTopics.RULE));
            String sentence = WorldPartitions.mismatch(count, count + 1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(given().get("/q/health/ready"))
                    .satisfies(health -> {
                        assertThat(health.statusCode()).isEqualTo(503);
                        assertThat(health.asString()).contains(sentence);
                    }));
            assertThat(watches.latest(petId)).as("the foreign tick moved nothing")
                    .hasValueSatisfying(pet -> assertThat(pet.tick()).isEqualTo(tick));

            PartitionTick right = PetTopics.tick(partition);
            await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(watches.latest(petId))
                    .hasValueSatisfying(pet -> {
                        assertThat(pet.tick()).isEqualTo(right.tick());
                        assertThat(pet.age()).isEqualTo(10 + (int) (right.tick() - tick));
                    }));
        } finally {
            browser.closeAndAwait();
        }
    }
}
