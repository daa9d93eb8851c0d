package dev.livepet.viewer.stream;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.ShownPet;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A browser's live part: the stored state at once, then every newer state from pet-state (each event, each tick of
 * the pet's partition), never an older one.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class LivePetTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    PetWatches watches;

    @Inject
    StreamClocks clocks;

    @Test
    void aBrowserSeesTheStoredPetThenEveryNewerStateAndNeverAnOlderOne() throws Exception {
        TestPlayer player = TestPlayer.register();
        String owner = player.id();
        long petId = PetsTable.freshId();
        long tick = PetTopics.clockOf(petId);
        PetsTable.insert(petId, owner, "Rex", Species.DOG, 7, 250, true, 3);
        try (LiveBrowser browser = LiveBrowser.open(base, petId, player)) {
            String first = browser.next();
            assertThat(first).startsWith("<article id=\"pet-card\"").contains("data-testid=\"pet-age\">7<",
                    "data-testid=\"pet-version\">version 3, tick " + tick + "<", "data-hearts=\"3\"",
                    "data-testid=\"feed-button\"");

            PetTopics.publish(event(petId, owner, 7, 150, 4, Cause.FED, tick));
            String fed = browser.next();
            assertThat(fed).contains("data-testid=\"pet-age\">7<", "data-hearts=\"4\"", "version 4, tick " + tick + "<");

            // an older version (a replay, a zombie) is not shown; the next newer one is
            PetTopics.publish(event(petId, owner, 99, 0, 2, Cause.FED, tick));
            PetTopics.publish(event(petId, owner, 7, 130, 5, Cause.TREAT, tick));
            assertThat(browser.next()).contains("data-testid=\"pet-age\">7<", "version 5, tick " + tick + "<");
            assertThat(browser.frames).isEmpty();

            // its partition ticks: the pet ages by the rule, at the same version
            PartitionTick next = PetTopics.tick(PetTopics.partitionOf(petId));
            assertThat(browser.nextPet()).isEqualTo(new ShownPet(5, next.tick(), 8, 135, true));

            // a dead pet is shown as such and offers no meal
            PetTopics.publish(new PetState(petId, owner, "Rex", Species.DOG, 10001, 500, false, 6, Cause.DIED,
                    next.tick(), System.currentTimeMillis(), null));
            String dead = browser.next();
            assertThat(dead).contains("Died of old age", "data-alive=\"false\"", "data-hearts=\"0\"")
                    .doesNotContain("feed-button");
            // a dead pet never changes: once the stream read the next tick, the pet is as it died, and no frame came
            PartitionTick later = PetTopics.tick(PetTopics.partitionOf(petId));
            awaitRead(later);
            assertThat(watches.latest(petId)).hasValueSatisfying(s -> assertThat(s.tick()).isEqualTo(next.tick()));
            assertThat(browser.frames.poll(500, TimeUnit.MILLISECONDS)).as("a frame for a dead pet's tick").isNull();
        }
    }

    @Test
    void anotherPlayersBrowserNeverSeesALivingPetAndTwoBrowsersOfTheOwnerBothGetEveryState() throws Exception {
        TestPlayer player = TestPlayer.register();
        TestPlayer stranger = TestPlayer.register();
        String owner = player.id();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner, "Mimi", Species.CAT, 1, 250, true, 2);
        // the pet is known only to PostgreSQL: the stranger's socket opens but shows the refusal, not the pet
        LiveBrowser early = LiveBrowser.open(base, petId, stranger);
        assertThat(early.next()).contains("You do not have permission to view that pet").doesNotContain("Mimi", "pet-age");

        LiveBrowser owners = LiveBrowser.open(base, petId, player);
        LiveBrowser second = LiveBrowser.open(base, petId, player);
        assertThat(owners.next()).contains("feed-button", "version 2,", "Mimi");
        assertThat(second.next()).contains("feed-button", "version 2,");

        PetTopics.tick(PetTopics.partitionOf(petId));
        assertThat(owners.next()).contains("data-testid=\"pet-age\">2<", "feed-button");
        assertThat(second.next()).contains("data-testid=\"pet-age\">2<", "feed-button");
        assertThat(early.next()).contains("You do not have permission to view that pet").doesNotContain("pet-age");

        // once the pet is known live here, a stranger's socket is closed before anything is sent
        LiveBrowser late = LiveBrowser.open(base, petId, stranger);
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
        long tick = PetTopics.clockOf(petId);
        PetsTable.insert(petId, owner, "Nemo", Species.FISH, 1, 250, true, 2);
        LiveBrowser first = LiveBrowser.open(base, petId, player);
        assertThat(first.next()).contains("version 2,");
        // newer than PostgreSQL, which this test never updates: only the live cache knows it
        PetTopics.publish(event(petId, owner, 2, 255, 3, Cause.FED, tick));
        assertThat(first.next()).contains("version 3,");

        LiveBrowser second = LiveBrowser.open(base, petId, player);
        assertThat(second.next()).contains("data-testid=\"pet-age\">2<", "version 3,");
        assertThat(watches.latest(petId)).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(3));

        first.close();
        second.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> watches.latest(petId).isEmpty());
    }

    @Test
    void aPetFirstWatchedAfterAnEventThatPostgresDoesNotHoldYetShowsTheEvent() throws Exception {
        TestPlayer player = TestPlayer.register();
        String owner = player.id();
        long petId = PetsTable.freshId();
        long tick = PetTopics.clockOf(petId);
        PetsTable.insert(petId, owner, "Quick", Species.FOX, 3, 300, true, 4);
        // fed while nobody here watches it; the persistence service has not written it yet
        PetState fed = event(petId, owner, 3, 200, 5, Cause.FED, tick);
        PetTopics.publish(fed);
        // the tick after it in the same partition: once the stream read it, it read the event
        PartitionTick after = PetTopics.tick(PetTopics.partitionOf(petId));
        awaitRead(after);
        ShownPet now = ShownPet.of(TickRule.stateAt(fed, after));

        String page = player.http().get("/pets/" + petId).then().statusCode(200).extract().asString();
        assertThat(ShownPet.in(page)).as("the page: the stream's event, not PostgreSQL's older row").isEqualTo(now);
        try (LiveBrowser browser = LiveBrowser.open(base, petId, player)) {
            assertThat(browser.nextPet()).as("the live part, likewise").isEqualTo(now);
        }
    }

    @Test
    void aPetThatIsNotYetAnywhereIsShownWhenItsFirstStateArrives() throws Exception {
        TestPlayer player = TestPlayer.register();
        long petId = PetsTable.freshId();
        try (LiveBrowser browser = LiveBrowser.open(base, petId, player)) {
            PetTopics.publish(event(petId, player.id(), 0, 250, 1, Cause.ADOPTED, PetTopics.clockOf(petId)));
            assertThat(browser.next()).contains("data-testid=\"pet-age\">0<", "version 1,");
        }
    }

    @Test
    void anIdThatIsNoNumberClosesTheSocketAndAVisitorWhoIsNotLoggedInGetsNone() throws Exception {
        LiveBrowser nonsense = LiveBrowser.open(base, "abc", TestPlayer.register());
        assertThat(nonsense.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(1008);

        long petId = PetsTable.freshId();
        PetsTable.insert(petId, "someone", "Hidden", Species.FOX, 1, 250, true, 2);
        assertThatThrownBy(() -> BasicWebSocketConnector.create().baseUri(base).path("/pets/" + petId + "/live")
                .connectAndAwait()).as("the upgrade needs a login").isInstanceOf(Exception.class);
    }

    private void awaitRead(PartitionTick tick) {
        await().atMost(Duration.ofSeconds(30)).until(() -> clocks.newest(tick.partition()) != null
                && clocks.newest(tick.partition()).tick() >= tick.tick());
    }

    private static PetState event(long petId, String owner, int age, int hunger, long version, Cause cause, long tick) {
        return new PetState(petId, owner, "Pet " + petId, Species.DOG, age, hunger, true, version, cause, tick,
                System.currentTimeMillis(), cause == Cause.ADOPTED ? null : "command-" + version);
    }
}
