package dev.livepet.viewer.live;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.RawSocket;
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
import java.util.stream.LongStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A viewer that finds a backlog older than a tick skips it rather than reading it record by record (the next tick
 * shows each watched pet sooner), and its browsers go on with the states after it.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class FallingBehindTest {
    private static final int BACKLOG = 20_000;

    @TestHTTPResource("/")
    URI base;

    @Test
    void aBacklogOlderThanATickIsSkippedAndTheBrowserGetsTheStateAfterIt() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        TestPlayer player = TestPlayer.register();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, player.id(), "Laggard", Species.TOTORO, 4, 250, true, 2);
        try (RawSocket browser = RawSocket.open(base, "/pets/" + petId + "/live",
                TestPlayer.SESSION + "=" + player.session())) {
            assertThat(browser.status()).isEqualTo(101);
            assertThat(browser.next(30_000).text()).contains("version 2");
            double skippedBefore = ViewerMetrics.value("livepet_viewer_stream_skipped_records_total");

            // a minute old, all visible at once: what a viewer finds after a stall of a minute
            long aMinuteAgo = System.currentTimeMillis() - 60_000;
            List<String> backlog = LongStream.rangeClosed(3, BACKLOG + 2)
                    .mapToObj(v -> PetJson.writeString(state(petId, player.id(), v, aMinuteAgo))).toList();
            PetTopics.publishAtOnce(Long.toString(petId), backlog, aMinuteAgo);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(ViewerMetrics.value("livepet_viewer_stream_skipped_records_total") - skippedBefore)
                            .as("records skipped unread").isGreaterThanOrEqualTo(1_000));

            long next = BACKLOG + 100;
            PetTopics.publish(state(petId, player.id(), next, System.currentTimeMillis()));
            List<String> frames = new ArrayList<>();
            String last = "";
            while (!last.contains("version " + next)) {
                RawSocket.Frame frame = browser.next(30_000);
                assertThat(frame).as("the state after the backlog, within 30 s; frames so far: %s", frames.size())
                        .isNotNull();
                last = frame.text();
                frames.add(last);
            }
            assertThat(frames).as("the backlog's last state was skipped, never shown")
                    .noneMatch(f -> f.contains("version " + (BACKLOG + 2) + "<"));
        }
        assertThat(ViewerMetrics.value("livepet_viewer_stream_skips_total")).isGreaterThanOrEqualTo(1);
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static PetState state(long petId, String owner, long version, long at) {
        return new PetState(petId, owner, "Laggard", Species.TOTORO, (int) Math.min(version, 10_000), 250, true,
                version, Cause.TICK, at, null);
    }
}
