package dev.livepet.viewer.stream;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-browser slot: one send in flight, the newest state next, never an older one (by version, then tick). */
class LiveViewerTest {
    /** A browser whose sends complete only when the test says so. */
    private static final class SlowBrowser {
        final List<String> received = new ArrayList<>();
        final List<UniEmitter<? super Void>> inFlight = new ArrayList<>();

        Uni<Void> send(String fragment) {
            return Uni.createFrom().emitter(emitter -> {
                received.add(fragment);
                inFlight.add(emitter);
            });
        }

        void takeAll() {
            while (!inFlight.isEmpty()) {
                inFlight.remove(0).complete(null);
            }
        }
    }

    private static PetState version(long version) {
        return new PetState(7, "ann", "Rex", Species.DOG, (int) version, 250, true, version, Cause.FED, 0, 0, null);
    }

    private static PetState tick(long version, long tick) {
        return new PetState(7, "ann", "Rex", Species.DOG, (int) tick, 250, true, version, Cause.TICK, tick, 0, null);
    }

    @Test
    void aSlowBrowserGetsTheLatestStateNotABacklog() {
        SlowBrowser browser = new SlowBrowser();
        LiveViewer viewer = new LiveViewer(state -> "v" + state.version(), browser::send);

        viewer.offer(version(1));
        for (long v = 2; v <= 50; v++) {
            viewer.offer(version(v));
        }
        assertThat(browser.received).containsExactly("v1");

        browser.takeAll();
        assertThat(browser.received).containsExactly("v1", "v50");
        browser.takeAll();
        assertThat(browser.received).containsExactly("v1", "v50");
        assertThat(viewer.sentVersion()).isEqualTo(50);
    }

    @Test
    void anOlderOrEqualVersionIsNeverSentAfterANewerOne() {
        SlowBrowser browser = new SlowBrowser();
        LiveViewer viewer = new LiveViewer(state -> "v" + state.version(), browser::send);

        viewer.offer(version(5));
        viewer.offer(version(3));
        viewer.offer(version(5));
        browser.takeAll();
        viewer.offer(version(4));
        viewer.offer(version(7));
        viewer.offer(version(6));
        browser.takeAll();

        assertThat(browser.received).containsExactly("v5", "v7");
    }

    @Test
    void aLaterTickOfTheSameVersionIsNewerAndAnEventIsNewerThanAnyTickOfTheVersionBefore() {
        SlowBrowser browser = new SlowBrowser();
        LiveViewer viewer = new LiveViewer(state -> "v" + state.version() + "t" + state.tick(), browser::send);

        viewer.offer(tick(3, 10));
        browser.takeAll();
        viewer.offer(tick(3, 11));
        browser.takeAll();
        viewer.offer(tick(3, 11));
        viewer.offer(tick(3, 9));
        viewer.offer(tick(4, 2));
        browser.takeAll();
        viewer.offer(tick(3, 12));
        browser.takeAll();

        assertThat(browser.received).containsExactly("v3t10", "v3t11", "v4t2");
    }

    @Test
    void aSlowBrowserGetsTheLatestTickNotEveryOne() {
        SlowBrowser browser = new SlowBrowser();
        LiveViewer viewer = new LiveViewer(state -> "t" + state.tick(), browser::send);
        for (long t = 1; t <= 20; t++) {
            viewer.offer(tick(5, t));
        }
        browser.takeAll();
        browser.takeAll();
        assertThat(browser.received).containsExactly("t1", "t20");
    }

    @Test
    void aFailedSendDoesNotStopLaterStates() {
        List<String> received = new ArrayList<>();
        LiveViewer viewer = new LiveViewer(state -> "v" + state.version(), fragment -> {
            received.add(fragment);
            return fragment.equals("v1") ? Uni.createFrom().failure(new IllegalStateException("gone")) : Uni.createFrom().voidItem();
        });

        viewer.offer(version(1));
        viewer.offer(version(2));

        assertThat(received).containsExactly("v1", "v2");
    }

    @Test
    void aClosedViewerSendsNothingMore() {
        SlowBrowser browser = new SlowBrowser();
        LiveViewer viewer = new LiveViewer(state -> "v" + state.version(), browser::send);
        viewer.offer(version(1));
        viewer.offer(version(2));
        viewer.close();
        browser.takeAll();
        viewer.offer(version(3));

        assertThat(browser.received).containsExactly("v1");
    }
}
