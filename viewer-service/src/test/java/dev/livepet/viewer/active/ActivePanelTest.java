package dev.livepet.viewer.active;

import dev.livepet.viewer.active.rules.TreatPurse;
import dev.livepet.viewer.player.Player;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class ActivePanelTest {
    private final List<String> sent = new ArrayList<>();
    private final List<UniEmitter<? super Void>> inFlight = new ArrayList<>();

    private ActivePanel panel() {
        return new ActivePanel("c1", new Player("p1"), OptionalLong.empty(),
                TreatPurse.full(5, 0), fragment -> {
                    sent.add(fragment);
                    return Uni.createFrom().emitter(inFlight::add);
                });
    }

    @Test
    void aPanelThatLooksTheSameIsNotSentAgain() {
        ActivePanel panel = panel();
        panel.show("<div>Noodle</div>");
        finishSending();
        panel.show("<div>Noodle</div>");
        panel.show("<div>Noodle</div>");

        assertThat(sent).containsExactly("<div>Noodle</div>");
    }

    @Test
    void aSlowBrowserGetsTheLatestPanelAndNothingItAlreadyHas() {
        ActivePanel panel = panel();
        panel.show("<div>A</div>");
        panel.show("<div>B</div>");
        panel.show("<div>C</div>");
        finishSending();
        finishSending();

        assertThat(sent).containsExactly("<div>A</div>", "<div>C</div>");

        panel.show("<div>D</div>");
        panel.show("<div>E</div>");
        panel.show("<div>D</div>");
        finishSending();

        assertThat(sent).as("E waited behind D, then D came back: the browser gets D once, never E")
                .containsExactly("<div>A</div>", "<div>C</div>", "<div>D</div>");

        panel.show("<div>C</div>");
        finishSending();

        assertThat(sent).as("C again after D is news").endsWith("<div>D</div>", "<div>C</div>");
    }

    private void finishSending() {
        List<UniEmitter<? super Void>> now = new ArrayList<>(inFlight);
        inFlight.clear();
        now.forEach(emitter -> emitter.complete(null));
    }
}
