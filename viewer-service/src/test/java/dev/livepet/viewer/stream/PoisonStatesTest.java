package dev.livepet.viewer.stream;

import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
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
 * Bad records in a watched pet's partition: the stream reads every record with the contract's codec, counts, logs and
 * skips each it cannot use (the persistence service is the one that dead-letters them), and the browser gets the next
 * good state.
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
        int partition = PetTopics.partitionOf(petId);
        int elsewhere = (partition + 1) % PetTopics.partitions();
        long tick = PetTopics.clock(partition);
        PetsTable.insert(petId, player.id(), "Steady", Species.RABBIT, 4, 250, true, 2);
        byte[] key = PetStateCodec.key(petId);
        PetState good = new PetState(petId, player.id(), "Steady", Species.RABBIT, 5, 155, true, 3, Cause.FED, tick,
                System.currentTimeMillis(), "a-meal");
        String json = PetStateCodec.writeString(good);
        String aTick = PetStateCodec.writeString(new PartitionTick(partition, PetTopics.partitions(), tick + 1,
                System.currentTimeMillis(), PetTopics.RULE));
        Map<String, Poison> poisons = new LinkedHashMap<>();
        poisons.put("not JSON", new Poison(partition, key, utf8("{this is not json")));
        poisons.put("not UTF-8", new Poison(partition, key, new byte[]{(byte) 0xc3, (byte) 0x28, (byte) 0xff}));
        poisons.put("a command", new Poison(partition, key,
                PetJson.write(new FeedCommand("c", petId, Food.MEAL, player.id()))));
        poisons.put("an array", new Poison(partition, key, utf8("[" + json + "]")));
        poisons.put("numbers as strings", new Poison(partition, key, utf8(json.replace("\"version\":3", "\"version\":\"3\""))));
        poisons.put("no alive", new Poison(partition, key, utf8(json.replace(",\"alive\":true", ""))));
        poisons.put("no tick", new Poison(partition, key, utf8(json.replace(",\"tick\":" + tick, ""))));
        poisons.put("a derived tick as an event", new Poison(partition, key, utf8(json.replace("\"fed\"", "\"tick\""))));
        poisons.put("another pet's state", new Poison(partition, key,
                utf8(json.replace("{\"id\":" + petId, "{\"id\":" + (petId + 1)))));
        poisons.put("the pet in another partition", new Poison(elsewhere, key, utf8(json)));
        poisons.put("a tick under the pet's key", new Poison(partition, key, utf8(aTick)));
        poisons.put("a tick under another partition's key", new Poison(partition, PetStateCodec.tickKey(elsewhere),
                utf8(aTick)));
        poisons.put("a tick in another partition", new Poison(elsewhere, PetStateCodec.tickKey(partition), utf8(aTick)));
        poisons.put("a key that names nothing", new Poison(partition, utf8("tock-1"), utf8(json)));
        poisons.put("oversized", new Poison(partition, key,
                utf8(json.replace("}", ",\"padding\":\"" + "x".repeat(PetJson.MAX_RECORD_BYTES) + "\"}"))));
        poisons.put("at the broker's limit", new Poison(partition, key, utf8("x".repeat(1_048_400))));
        poisons.put("a tombstone", new Poison(partition, key, null));
        try (RawSocket browser = RawSocket.open(base, "/pets/" + petId + "/live",
                TestPlayer.SESSION + "=" + player.session())) {
            assertThat(browser.status()).isEqualTo(101);
            assertThat(browser.next(30_000).text()).contains("version 2,");
            double skippedBefore = skipped();

            poisons.values().forEach(poison -> PetTopics.publish(poison.partition(), poison.key(), poison.value()));
            PetTopics.publish(good);

            RawSocket.Frame next = browser.next(30_000);
            assertThat(next).as("the state behind the poison, within 30 s").isNotNull();
            assertThat(next.text()).contains("version 3, tick " + tick + "<", "data-testid=\"pet-age\">5<");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(skipped() - skippedBefore).as("poison counted").isEqualTo(poisons.size()));
            assertThat(browser.next(500)).as("nothing of the poison reached the browser").isNull();
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    private record Poison(int partition, byte[] key, byte[] value) {
    }

    private static double skipped() {
        return ViewerMetrics.value("livepet_viewer_poison_records_total");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
