package dev.livepet.viewer.stream;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.RawSocket;
import dev.livepet.viewer.ShownPet;
import dev.livepet.viewer.TestPlayer;
import dev.livepet.viewer.ViewerMetrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A viewer that finds a backlog older than a tick skips it rather than reading it record by record. A watched pet's
 * event may be among what it skipped: the pet shows no tick until PostgreSQL holds everything up to the first tick
 * after the skip, then it shows its state from there, never the state from before the skip advanced as if nothing
 * had happened.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class FallingBehindTest {
    private static final int BACKLOG = 20_000;

    @TestHTTPResource("/")
    URI base;

    @Test
    void aSkippedEventIsReadFromPostgresOnceItHoldsItAndNoTickShowsTheOldStateMeanwhile() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        TestPlayer player = TestPlayer.register();
        long petId = PetsTable.freshId();
        int partition = PetTopics.partitionOf(petId);
        long clock = PetTopics.clock(partition);
        PetsTable.insert(petId, player.id(), "Laggard", Species.TOTORO, 4, 250, true, 2);
        try (RawSocket browser = RawSocket.open(base, "/pets/" + petId + "/live",
                TestPlayer.SESSION + "=" + player.session())) {
            assertThat(browser.status()).isEqualTo(101);
            assertThat(ShownPet.in(browser.next(30_000).text())).isEqualTo(new ShownPet(2, clock, 4, 250, true));
            double skippedBefore = ViewerMetrics.value("livepet_viewer_stream_skipped_records_total");
            double behindBefore = ViewerMetrics.value("livepet_viewer_stream_rereads_behind_total");

            // a minute old, all visible at once: what a viewer finds after a stall of a minute. Somewhere in it the
            // watched pet was fed; around it, another pet of the partition was fed many times
            long aMinuteAgo = System.currentTimeMillis() - 60_000;
            long busy = PetsTable.freshIdIn(partition);
            PetState fed = new PetState(petId, player.id(), "Laggard", Species.TOTORO, 4, 150, true, 3, Cause.FED,
                    clock, aMinuteAgo, "lost-meal");
            List<Map.Entry<byte[], byte[]>> backlog = new ArrayList<>();
            for (int v = 1; v <= BACKLOG; v++) {
                if (v == BACKLOG / 2) {
                    backlog.add(Map.entry(PetStateCodec.key(petId), PetStateCodec.write(fed)));
                }
                backlog.add(Map.entry(PetStateCodec.key(busy), PetStateCodec.write(new PetState(busy, "someone",
                        "Busy", Species.CRAB, 1, 250, true, v, v == 1 ? Cause.ADOPTED : Cause.FED, clock, aMinuteAgo,
                        v == 1 ? null : "meal-" + v))));
            }
            PetTopics.publishAtOnce(partition, backlog, aMinuteAgo);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(ViewerMetrics.value("livepet_viewer_stream_skipped_records_total") - skippedBefore)
                            .as("records skipped unread").isGreaterThanOrEqualTo(1_000));

            // the partition ticks; the persistence service has not written the meal (nor the tick) yet
            PartitionTick first = PetTopics.nextTick(partition, System.currentTimeMillis());
            PetTopics.publish(first);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(ViewerMetrics.value("livepet_viewer_stream_rereads_behind_total"))
                            .as("PostgreSQL asked, not there yet").isGreaterThan(behindBefore));
            assertThat(browser.next(500)).as("no tick of the state from before the skip").isNull();

            // the persistence service catches up: the meal, then the tick; the next tick shows the pet as it is
            PetsTable.update(petId, 4, 150, true, 3, "fed", clock);
            PetsTable.clock(first);
            PartitionTick second = PetTopics.tick(partition);
            List<ShownPet> frames = new ArrayList<>();
            while (frames.isEmpty() || frames.get(frames.size() - 1).version() < 3) {
                RawSocket.Frame frame = browser.next(30_000);
                assertThat(frame).as("the pet after the skip, within 30 s; frames so far: %s", frames).isNotNull();
                frames.add(ShownPet.in(frame.text()));
            }
            assertThat(frames).as("the state from before the skip never advanced").noneMatch(f -> f.version() == 2);
            assertThat(frames.get(frames.size() - 1)).isEqualTo(ShownPet.of(TickRule.stateAt(fed, second)));

            // and it ticks on from there
            PartitionTick third = PetTopics.tick(partition);
            assertThat(ShownPet.in(browser.next(30_000).text())).isEqualTo(ShownPet.of(TickRule.stateAt(fed, third)));
        }
        assertThat(ViewerMetrics.value("livepet_viewer_stream_skips_total")).isGreaterThanOrEqualTo(1);
        assertThat(ViewerMetrics.value("livepet_viewer_stream_rereads_total")).isGreaterThanOrEqualTo(1);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
