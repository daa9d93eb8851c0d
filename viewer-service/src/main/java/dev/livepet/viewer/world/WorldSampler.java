package dev.livepet.viewer.world;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livepet.viewer.world.WorldCensus.CensusWindow;
import dev.livepet.viewer.world.WorldSample.PartitionOwner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.OpenConnections;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples the world once per instance every few seconds, whatever the number of browsers, keeps the last samples
 * for browsers that open the page later, and pushes each new one to every open dashboard.
 */
@ApplicationScoped
public class WorldSampler {
    private static final Logger LOG = Logger.getLogger(WorldSampler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DashboardConfig config;
    private final WorldCensus census;
    private final KafkaLook kafka;
    private final PetTotals totals;
    private final OpenConnections connections;
    private final Vertx vertx;
    private final ArrayDeque<String> history = new ArrayDeque<>();
    private final AtomicBoolean sampling = new AtomicBoolean();
    private volatile PetTotals.Totals lastTotals;
    private long lastTotalsAt;
    private long timer = -1;

    public WorldSampler(DashboardConfig config, WorldCensus census, KafkaLook kafka, PetTotals totals,
                        OpenConnections connections, Vertx vertx) {
        this.config = config;
        this.census = census;
        this.kafka = kafka;
        this.totals = totals;
        this.connections = connections;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent started) {
        census.drain();
        timer = vertx.setPeriodic(config.sampleInterval().toMillis(), id -> sample());
    }

    void stop(@Observes ShutdownEvent stopped) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The samples a browser that opens the dashboard now gets first, oldest first, as JSON. */
    public synchronized List<String> history() {
        return List.copyOf(history);
    }

    private void sample() {
        // a slow broker or database must not pile up samples
        if (!sampling.compareAndSet(false, true)) {
            return;
        }
        CensusWindow window = census.drain();
        Uni.combine().all().unis(petTotals(), owners(), lags()).asTuple()
                .subscribe().with(figures -> {
                    PetTotals.Totals pets = figures.getItem1();
                    Long[] lags = figures.getItem3();
                    publish(new WorldSample(System.currentTimeMillis(), window.seconds(), window.births(),
                            window.deaths(), window.events(), window.ticks(), pets == null ? null : pets.alive(),
                            pets == null ? null : pets.dead(), window.birthsPerMinute(), window.deathsPerMinute(),
                            window.eventsPerSecond(), window.ticksPerSecond(), window.latenessMaxMillis(),
                            window.latenessMeanMillis(), figures.getItem2(), lags[0], lags[1]));
                    sampling.set(false);
                }, failure -> {
                    LOG.warnf("could not sample the world: %s", failure.toString());
                    sampling.set(false);
                });
    }

    private Uni<PetTotals.Totals> petTotals() {
        long now = System.nanoTime();
        if (lastTotals != null && now - lastTotalsAt < config.totalsInterval().toNanos()) {
            return Uni.createFrom().item(lastTotals);
        }
        return totals.count().invoke(counted -> {
            lastTotals = counted;
            lastTotalsAt = now;
        }).onFailure().recoverWithUni(failure -> {
            LOG.debugf("no pet totals this time: %s", failure.toString());
            return Uni.createFrom().nullItem();
        });
    }

    private Uni<List<PartitionOwner>> owners() {
        return kafka.owners().onFailure().recoverWithUni(failure -> {
            LOG.debugf("no partition owners this time: %s", failure.toString());
            return Uni.createFrom().nullItem();
        });
    }

    /** {persistence lag, viewer lag}, each null when it could not be had. */
    private Uni<Long[]> lags() {
        return kafka.stateEnds().flatMap(ends -> kafka.persistenceLag(ends).onFailure().recoverWithNull()
                        .flatMap(persistence -> kafka.viewerLag(ends).onFailure().recoverWithNull()
                                .map(viewer -> new Long[]{persistence, viewer})))
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("no lags this time: %s", failure.toString());
                    return Uni.createFrom().item(new Long[2]);
                });
    }

    private void publish(WorldSample sample) {
        String json;
        try {
            json = JSON.writeValueAsString(sample);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + sample, e);
        }
        synchronized (this) {
            history.addLast(json);
            while (history.size() > config.history()) {
                history.removeFirst();
            }
        }
        connections.findByEndpointId(WorldLiveSocket.ENDPOINT).forEach(connection -> connection.sendText(json)
                .subscribe().with(sent -> { }, failure -> LOG.debugf("a dashboard missed a sample: %s", failure)));
    }
}
