package dev.livepet.viewer.live;

import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad records under a watched pet's key: the live stream counts, logs and skips each (the persistence service is
 * the one that dead-letters them) and the browser gets the next good state.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class PoisonStatesTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void everyKindOfPoisonIsCountedAndSkippedAndTheNextStateReachesTheBrowser() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        TestPlayer player = TestPlayer.register();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, player.id(), "Steady", Species.RABBIT, 4, 250, true, 2);
        String key = Long.toString(petId);
        String json = PetJson.writeString(new PetState(petId, player.id(), "Steady", Species.RABBIT, 5, 255, true, 3,
                Cause.TICK, System.currentTimeMillis(), null));
        Map<String, byte[]> poisons = new LinkedHashMap<>();
        poisons.put("not JSON", utf8("{this is not json"));
        poisons.put("not UTF-8", new byte[]{(byte) 0xc3, (byte) 0x28, (byte) 0xff});
        poisons.put("a command", utf8(PetJson.writeString(new FeedCommand("c", petId, Food.MEAL, player.id()))));
        poisons.put("an array", utf8("[" + json + "]"));
        poisons.put("numbers as strings", utf8(json.replace("\"version\":3", "\"version\":\"3\"")));
        poisons.put("no alive", utf8(json.replace(",\"alive\":true", "")));
        poisons.put("another pet's state", utf8(json.replace("{\"id\":" + petId, "{\"id\":" + (petId + 1))));
        poisons.put("oversized", utf8(json.replace("}", ",\"padding\":\"" + "x".repeat(PetJson.MAX_RECORD_BYTES) + "\"}")));
        poisons.put("at the broker's limit", utf8("x".repeat(1_048_400)));
        poisons.put("a tombstone", null);
        try (RawSocket browser = RawSocket.open(base, "/pets/" + petId + "/live",
                TestPlayer.SESSION + "=" + player.session())) {
            assertThat(browser.status()).isEqualTo(101);
            assertThat(browser.next(30_000).text()).contains("version 2");
            double skippedBefore = skipped();

            poisons.values().forEach(value -> PetTopics.publish(key, value));
            PetTopics.publish(key, json);

            RawSocket.Frame next = browser.next(30_000);
            assertThat(next).as("the state behind the poison, within 30 s").isNotNull();
            assertThat(next.text()).contains("version 3", "data-testid=\"pet-age\">5<");
            assertThat(skipped() - skippedBefore).isEqualTo(poisons.size());
            assertThat(browser.next(500)).as("nothing of the poison reached the browser").isNull();
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static double skipped() {
        return ViewerMetrics.value("livepet_viewer_poison_records_total");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
