package dev.livepet.viewer.live;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketClientConnection;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A browser's live part: the stored state at once, then every newer state from pet-state, never an older one. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class LivePetTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    PetWatches watches;

    @BeforeEach
    void theStreamIsAssigned() {
        // ready = every pet-state partition read from a known offset: nothing published from now on is missed
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aBrowserSeesTheStoredPetThenEveryNewerVersionAndNeverAnOlderOne() throws Exception {
        TestPlayer player = TestPlayer.register();
        String owner = player.id();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner, "Rex", Species.DOG, 7, 250, true, 3);
        Browser browser = Browser.open(base, petId, player);

        String first = browser.next();
        assertThat(first).startsWith("<article id=\"pet-card\"").contains("data-testid=\"pet-age\">7<",
                "data-testid=\"pet-version\">version 3<", "data-hearts=\"3\"", "data-testid=\"feed-button\"");

        PetTopics.publish(state(petId, owner, 8, 150, 4, Cause.FED));
        String fed = browser.next();
        assertThat(fed).contains("data-testid=\"pet-age\">8<", "data-hearts=\"4\"", "version 4");

        // an older version (a replay, a zombie) is not shown; the next newer one is
        PetTopics.publish(state(petId, owner, 99, 0, 2, Cause.TICK));
        PetTopics.publish(state(petId, owner, 9, 155, 5, Cause.TICK));
        String next = browser.next();
        assertThat(next).contains("data-testid=\"pet-age\">9<", "version 5");
        assertThat(browser.frames).isEmpty();

        // a dead pet is shown as such and offers no meal
        PetTopics.publish(new PetState(petId, owner, "Rex", Species.DOG, 10001, 500, false, 6, Cause.DIED, 0, null));
        String dead = browser.next();
        assertThat(dead).contains("Died of old age", "data-alive=\"false\"", "data-hearts=\"0\"")
                .doesNotContain("feed-button");
        browser.close();
    }

    @Test
    void anotherPlayersBrowserNeverSeesALivingPetAndTwoBrowsersOfTheOwnerBothGetEveryState() throws Exception {
        TestPlayer player = TestPlayer.register();
        TestPlayer stranger = TestPlayer.register();
        String owner = player.id();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner, "Mimi", Species.CAT, 1, 250, true, 2);
        // the pet is known only to PostgreSQL: the stranger's socket opens but shows the refusal, not the pet
        Browser early = Browser.open(base, petId, stranger);
        assertThat(early.next()).contains("You do not have permission to view that pet").doesNotContain("Mimi", "pet-age");

        Browser owners = Browser.open(base, petId, player);
        Browser second = Browser.open(base, petId, player);
        assertThat(owners.next()).contains("feed-button", "version 2", "Mimi");
        assertThat(second.next()).contains("feed-button", "version 2");

        PetTopics.publish(state(petId, owner, 2, 255, 3, Cause.TICK));
        assertThat(owners.next()).contains("data-testid=\"pet-age\">2<", "feed-button");
        assertThat(second.next()).contains("data-testid=\"pet-age\">2<", "feed-button");
        assertThat(early.next()).contains("You do not have permission to view that pet").doesNotContain("pet-age");

        // once the pet is known live here, a stranger's socket is closed before anything is sent
        Browser late = Browser.open(base, petId, stranger);
        assertThat(late.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(1008);
        assertThat(late.frames).isEmpty();
        owners.close();
        second.close();
        early.close();
    }

    @Test
    void aSecondBrowserGetsTheCachedLatestStateAtOnceAndClosingTheLastStopsTheWatch() throws Exception {
        TestPlayer player = TestPlayer.register();
        String owner = player.id();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner, "Nemo", Species.FISH, 1, 250, true, 2);
        Browser first = Browser.open(base, petId, player);
        assertThat(first.next()).contains("version 2");
        // newer than PostgreSQL, which this test never updates: only the live cache knows it
        PetTopics.publish(state(petId, owner, 2, 255, 3, Cause.TICK));
        assertThat(first.next()).contains("version 3");

        Browser second = Browser.open(base, petId, player);
        assertThat(second.next()).contains("data-testid=\"pet-age\">2<", "version 3");
        assertThat(watches.latest(petId)).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(3));

        first.close();
        second.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> watches.latest(petId).isEmpty());
    }

    @Test
    void aPetThatIsNotYetAnywhereIsShownWhenItsFirstStateArrives() throws Exception {
        TestPlayer player = TestPlayer.register();
        long petId = PetsTable.freshId();
        Browser browser = Browser.open(base, petId, player);
        PetTopics.publish(state(petId, player.id(), 0, 250, 1, Cause.ADOPTED));
        assertThat(browser.next()).contains("data-testid=\"pet-age\">0<", "version 1");
        browser.close();
    }

    @Test
    void anIdThatIsNoNumberClosesTheSocketAndAVisitorWhoIsNotLoggedInGetsNone() throws Exception {
        Browser nonsense = Browser.open(base, "abc", TestPlayer.register());
        assertThat(nonsense.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(1008);

        long petId = PetsTable.freshId();
        PetsTable.insert(petId, "someone", "Hidden", Species.FOX, 1, 250, true, 2);
        assertThatThrownBy(() -> BasicWebSocketConnector.create().baseUri(base).path("/pets/" + petId + "/live")
                .connectAndAwait()).as("the upgrade needs a login").isInstanceOf(Exception.class);
    }

    private static PetState state(long petId, String owner, int age, int hunger, long version, Cause cause) {
        return new PetState(petId, owner, "Pet " + petId, Species.DOG, age, hunger, true, version, cause,
                System.currentTimeMillis(), null);
    }

    /** A WebSocket client as htmx's extension is one, with the player's session cookie: it collects the fragments. */
    private static final class Browser {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
        WebSocketClientConnection connection;

        static Browser open(URI base, long petId, TestPlayer player) {
            return open(base, Long.toString(petId), player);
        }

        static Browser open(URI base, String petId, TestPlayer player) {
            Browser browser = new Browser();
            browser.connection = BasicWebSocketConnector.create().baseUri(base)
                    .path("/pets/" + petId + "/live")
                    .addHeader("Cookie", TestPlayer.SESSION + "=" + player.session())
                    .onTextMessage((c, fragment) -> browser.frames.add(fragment))
                    .onClose((c, reason) -> browser.closed.complete(reason))
                    .connectAndAwait();
            return browser;
        }

        String next() throws InterruptedException {
            String frame = frames.poll(30, TimeUnit.SECONDS);
            assertThat(frame).as("a fragment pushed within 30 s").isNotNull();
            return frame;
        }

        void close() {
            connection.closeAndAwait();
        }
    }
}
