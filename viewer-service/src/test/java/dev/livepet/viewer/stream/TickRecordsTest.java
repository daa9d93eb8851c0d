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
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watched pets advanced by their partitions' tick records: a viewer that starts in the middle of a world shows each
 * tick exactly as the tick rule makes it, and a tick touches the watched pets of its own partition only.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class TickRecordsTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    PetWatches watches;

    @Inject
    StreamClocks clocks;

    @Test
    void aViewerThatStartsMidStreamShowsEveryTickByTheRuleConsecutivelyAndNeverTwice() throws Exception {
        TestPlayer player = TestPlayer.register();
        long petId = PetsTable.freshId();
        int partition = PetTopics.partitionOf(petId);
        // the world went on without this viewer reading it: 50 ticks it never saw, kept in PostgreSQL
        long clock = PetTopics.clock(partition) + 50;
        PetsTable.clock(new PartitionTick(partition, PetTopics.partitions(), clock, System.currentTimeMillis(),
                PetTopics.RULE));
        // the pet's last event was 10 of those ticks ago; the read model brings it to the partition's tick
        PetState lastEvent = new PetState(petId, player.id(), "Midway", Species.PHOENIX, 20, 100, true, 4, Cause.FED,
                clock - 10, System.currentTimeMillis(), "earlier-meal");
        PetsTable.insert(petId, player.id(), "Midway", Species.PHOENIX, 20, 100, true, 4, clock - 10);

        List<ShownPet> shown = new ArrayList<>();
        List<ShownPet> expected = new ArrayList<>();
        try (LiveBrowser browser = LiveBrowser.open(base, petId, player)) {
            shown.add(browser.nextPet());
            expected.add(ShownPet.of(PetTopics.RULE.stateAt(lastEvent, clock, 0)));
            // each record is published once the last one is shown, so that no state is coalesced away
            for (int i = 0; i < 3; i++) {
                PartitionTick tick = PetTopics.tick(partition);
                shown.add(browser.nextPet());
                expected.add(ShownPet.of(TickRule.stateAt(lastEvent, tick)));
            }
            PetState now = TickRule.stateAt(lastEvent, new PartitionTick(partition, PetTopics.partitions(), clock + 3,
                    0, PetTopics.RULE));
            PetState fed = new PetState(petId, player.id(), "Midway", Species.PHOENIX, now.age(), now.hunger() - 100,
                    true, 5, Cause.FED, clock + 3, System.currentTimeMillis(), "a-meal");
            PetTopics.publish(fed);
            shown.add(browser.nextPet());
            expected.add(ShownPet.of(fed));
            for (int i = 0; i < 3; i++) {
                PartitionTick tick = PetTopics.tick(partition);
                shown.add(browser.nextPet());
                expected.add(ShownPet.of(TickRule.stateAt(fed, tick)));
            }
            assertThat(browser.frames.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .as("no frame beyond one per record").isNull();
        }
        assertThat(shown).as("exactly the tick rule's state at each tick").containsExactlyElementsOf(expected);
        assertThat(shown).extracting(ShownPet::tick).as("consecutive ticks, the event at the tick it holds")
                .containsExactly(clock, clock + 1, clock + 2, clock + 3, clock + 3, clock + 4, clock + 5, clock + 6);
        assertThat(shown).as("no state twice").doesNotHaveDuplicates();
    }

    @Test
    void aTickRecordAdvancesOnlyTheWatchedPetsOfItsPartition() throws Exception {
        TestPlayer player = TestPlayer.register();
        int here = 0;
        int there = PetTopics.partitions() - 1;
        long ticking = PetsTable.freshIdIn(here);
        long elsewhere = PetsTable.freshIdIn(there);
        PetsTable.insert(ticking, player.id(), "Ticking", Species.CAT, 5, 100, true, 2);
        PetsTable.insert(elsewhere, player.id(), "Elsewhere", Species.DOG, 5, 100, true, 2);
        try (LiveBrowser tickingBrowser = LiveBrowser.open(base, ticking, player);
             LiveBrowser elsewhereBrowser = LiveBrowser.open(base, elsewhere, player)) {
            ShownPet before = elsewhereBrowser.nextPet();
            assertThat(tickingBrowser.nextPet().age()).isEqualTo(5);

            PartitionTick tick = PetTopics.tick(here);
            assertThat(tickingBrowser.nextPet()).isEqualTo(new ShownPet(2, tick.tick(), 6, 105, true));
            await().atMost(Duration.ofSeconds(30)).until(() -> clocks.newest(here).tick() == tick.tick());
            assertThat(watches.latest(elsewhere)).hasValueSatisfying(pet -> {
                assertThat(pet.tick()).as("the other partition's pet, untouched").isEqualTo(before.tick());
                assertThat(pet.age()).isEqualTo(5);
            });

            // its own partition's tick moves it, by one tick of its own clock
            PartitionTick own = PetTopics.tick(there);
            assertThat(elsewhereBrowser.nextPet()).isEqualTo(new ShownPet(2, own.tick(), 6, 105, true));
            assertThat(tickingBrowser.frames.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .as("nothing for the first pet from the other partition's tick").isNull();
        }
    }
}
