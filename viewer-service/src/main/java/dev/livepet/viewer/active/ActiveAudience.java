package dev.livepet.viewer.active;

import dev.livepet.contract.Species;
import dev.livepet.viewer.active.rules.ActivePet;
import dev.livepet.viewer.active.rules.ActivePets;
import dev.livepet.viewer.active.rules.PanelRenders;
import dev.livepet.viewer.active.rules.TreatPurse;
import dev.livepet.viewer.pages.FormToken;
import dev.livepet.viewer.pets.WorldConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Active Pets panels open on this instance. Presence changes anywhere (PostgreSQL NOTIFY) make it read the
 * active pets once (the most recent {@link PresenceConfig#shown()}) and redraw every panel, rendering each look once
 * however many panels share it; a purse change redraws its player's panels; each refill redraws all.
 */
@ApplicationScoped
public class ActiveAudience {
    private static final Logger LOG = Logger.getLogger(ActiveAudience.class);
    // presence changes come in bursts (a page load, an instance leaving): one read per burst
    private static final long BURST_MILLIS = 100;

    private final Map<String, ActivePanel> panels = new ConcurrentHashMap<>();
    private final AtomicBoolean readScheduled = new AtomicBoolean();
    private final PresenceTable presence;
    private final Vertx vertx;
    private final WorldConfig world;
    private final TreatsConfig treats;
    private final int shown;
    private final Clock clock = Clock.systemUTC();
    private final PanelRenders<List<ActivePet>, PanelLook> renders = new PanelRenders<>(List.of(), this::render);
    private final Counter rendered;

    /** What makes one pushed panel look unlike another, the pets around aside. */
    private record PanelLook(String playerId, OptionalLong page, int treatsLeft) {
    }

    public ActiveAudience(PresenceTable presence, Vertx vertx, WorldConfig world, TreatsConfig treats,
                          PresenceConfig presenceConfig, MeterRegistry metrics) {
        this.presence = presence;
        this.vertx = vertx;
        this.world = world;
        this.treats = treats;
        this.shown = presenceConfig.shown();
        Gauge.builder("livepet.viewer.active.panels", panels, Map::size)
                .description("Active Pets panels open on this instance").register(metrics);
        this.rendered = Counter.builder("livepet.viewer.active.renders")
                .description("Active Pets panels rendered to push: one per look, shared by the panels that look alike")
                .register(metrics);
    }

    void onStart(@Observes StartupEvent start) {
        scheduleRefill();
        changed();
    }

    void join(ActivePanel panel) {
        panels.put(panel.id, panel);
        draw(panel);
    }

    void leave(String panelId) {
        ActivePanel panel = panels.remove(panelId);
        if (panel != null) {
            panel.close();
        }
    }

    /** Someone came or went somewhere: read who is around (once per burst) and redraw every panel. */
    public void changed() {
        if (!readScheduled.compareAndSet(false, true)) {
            return;
        }
        vertx.setTimer(BURST_MILLIS, timer -> {
            readScheduled.set(false);
            presence.active(shown).subscribe().with(pets -> {
                if (pets.equals(renders.shown())) {
                    return;
                }
                renders.show(pets);
                panels.values().forEach(this::draw);
            }, failure -> LOG.warnf("could not read who is around: %s", failure.toString()));
        });
    }

    /** A player's purse changed on some instance: their panels here show the new count. */
    public void purseChanged(String playerId, TreatPurse purse) {
        for (ActivePanel panel : panels.values()) {
            if (panel.player.id().equals(playerId) && panel.purseChanged(purse)) {
                draw(panel);
            }
        }
    }

    /** Every purse is full again in {@code period}: every panel shows it. */
    public void refilled(long period) {
        for (ActivePanel panel : panels.values()) {
            if (panel.purseChanged(panel.purse().in(period, treats.purse()))) {
                draw(panel);
            }
        }
    }

    public int panels() {
        return panels.size();
    }

    private void scheduleRefill() {
        Duration every = treats.refillEvery();
        long period = TreatPurse.periodAt(clock.instant(), every);
        long wait = TreatPurse.refillAfter(period, every).toEpochMilli() - clock.millis();
        vertx.setTimer(Math.max(1, wait), timer -> {
            refilled(TreatPurse.periodAt(clock.instant(), every));
            scheduleRefill();
        });
    }

    /**
     * A panel's content as a page shows it before its socket's first frame (and for good without JavaScript), its
     * forms carrying the page's form token.
     */
    public String panel(String playerId, OptionalLong page, TreatPurse purse, FormToken.Field token) {
        return render(renders.shown(), playerId, page, purse.treats(), token);
    }

    private void draw(ActivePanel panel) {
        panel.show(renders.of(new PanelLook(panel.player.id(), panel.page, panel.purse().treats())));
    }

    private String render(List<ActivePet> present, PanelLook look) {
        rendered.increment();
        return render(present, look.playerId(), look.page(), look.treatsLeft(), null);
    }

    private String render(List<ActivePet> present, String playerId, OptionalLong page, int treatsLeft,
                          FormToken.Field token) {
        List<ActivePetView> pets = ActivePets.shown(present, page).stream().map(this::view).toList();
        return ActivePages.panel(pets, playerId, page.isPresent() ? page.getAsLong() : 0, treatsLeft, token)
                .render().strip();
    }

    private ActivePetView view(ActivePet pet) {
        Species species = Species.of(pet.species());
        int hearts = world.hearts().of(pet.hunger());
        return new ActivePetView(pet.id(), pet.owner(), pet.name(), species.id(), species.displayName(),
                ActivePets.condition(hearts, world.hearts().max()));
    }
}
