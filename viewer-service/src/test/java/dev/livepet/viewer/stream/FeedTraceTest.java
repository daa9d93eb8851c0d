package dev.livepet.viewer.stream;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.TraceHeaders;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A feed's trace leaves the viewer with its command: the request's trace context (here given by the caller, as a
 * proxy or a browser's instrumentation would) is in the headers of the pet-commands record; and the event of a feed
 * this instance sent is timed from the send to its frame.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class FeedTraceTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry registry;

    @Test
    void theFeedRequestsTraceReachesTheCommandAndItsEventIsTimedToTheFrame() throws Exception {
        TestPlayer owner = TestPlayer.register();
        long petId = PetsTable.freshId();
        long tick = PetTopics.clockOf(petId);
        PetsTable.insert(petId, owner.id(), "Rex", Species.DOG, 7, 250, true, 3);
        String traceId = hex(16);
        String callerSpan = hex(8);
        Timer feedToFrame = registry.get("livepet.viewer.feed.to.frame").timer();
        long timedBefore = feedToFrame.count();
        try (LiveBrowser browser = LiveBrowser.open(base, petId, owner)) {
            assertThat(browser.next()).contains("version 3,");

            String commandId = owner.htmx().header(TraceHeaders.TRACEPARENT, "00-" + traceId + "-" + callerSpan + "-01")
                    .post("/pets/" + petId + "/feed").then().statusCode(200).extract().header("LivePet-Command");

            PetTopics.Sent sent = PetTopics.commands().stream()
                    .filter(s -> s.key().equals(PetPartitioner.key(petId)) && s.command().commandId().equals(commandId))
                    .findFirst().orElseThrow();
            assertThat(sent.traceparent()).as("the command carries the request's trace, under a span of the viewer's")
                    .isNotNull().startsWith("00-" + traceId + "-").doesNotContain(callerSpan);

            // the simulator's event of that command (no simulator here: the test writes it) reaches the browser
            PetTopics.publish(PetStateCodec.key(petId), PetStateCodec.write(new PetState(petId, owner.id(), "Rex",
                    Species.DOG, 7, 150, true, 4, Cause.FED, tick, System.currentTimeMillis(), commandId)));
            assertThat(browser.next()).contains("version 4,");
            // recorded once the lane has handed the frame to every socket, which may be just after this browser got it
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(feedToFrame.count())
                    .as("the feed was timed from its send to its frame").isEqualTo(timedBefore + 1));
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1;
        return HexFormat.of().formatHex(b);
    }
}
