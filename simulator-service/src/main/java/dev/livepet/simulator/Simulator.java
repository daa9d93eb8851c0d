package dev.livepet.simulator;

import dev.livepet.simulator.kafka.CommandTracing;
import dev.livepet.simulator.kafka.KafkaClients;
import dev.livepet.simulator.kafka.SimulatorLoop;
import dev.livepet.simulator.kafka.SimulatorMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Runs the simulator loop for the application's lifetime and tells health checks and metrics how it is doing. */
@ApplicationScoped
public class Simulator {
    private static final Logger LOG = Logger.getLogger(Simulator.class);

    private final SimulatorConfig config;
    private final WorldConfig world;
    private final Map<String, Object> kafka;
    private final SimulatorMetrics metrics;
    private final CommandTracing tracing;
    private volatile SimulatorLoop loop;

    public Simulator(SimulatorConfig config, WorldConfig world,
                     @Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry,
                     OpenTelemetry otel) {
        this.config = config;
        this.world = world;
        this.kafka = kafka;
        this.metrics = new SimulatorMetrics(registry);
        this.tracing = new CommandTracing(otel);
        gauge(registry, "livepet.simulator.pets.alive", "Living pets in the partitions this instance owns",
                s -> s.current().map(SimulatorLoop::petsAlive).orElse(0L));
        gauge(registry, "livepet.simulator.pets.owned", "Pets, living or dead, in the partitions this instance owns",
                s -> s.current().map(SimulatorLoop::pets).orElse(0L));
        gauge(registry, "livepet.simulator.pets.heap", "Heap bytes the owned pets hold (estimated from their arrays)",
                s -> s.current().map(SimulatorLoop::petHeapBytes).orElse(0L));
        gauge(registry, "livepet.simulator.partitions.owned", "Partitions of pet-commands this instance owns",
                s -> s.current().map(SimulatorLoop::partitionsOwned).orElse(0));
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        String instanceId = config.instanceId().filter(id -> !id.isBlank()).orElseGet(Simulator::hostName);
        KafkaClients clients = new KafkaClients(kafka, instanceId, config.transactionTimeout());
        SimulatorLoop.Settings settings = new SimulatorLoop.Settings(config.seedPets(), config.retryBackoff(),
                config.snapshotEveryTicks(), config.snapshotChunkBytes(), config.eventsPerTransaction(),
                config.tickStep());
        loop = SimulatorLoop.create(clients, world.rules(), settings, config.recentCommandIds(),
                config.partitionCapacity(), config.restoreTimeout(), metrics, tracing);
        loop.start();
    }

    public synchronized void stop() {
        SimulatorLoop stopping = loop;
        if (stopping != null) {
            stopping.stop(config.shutdownTimeout());
            loop = null;
        }
    }

    public boolean ready() {
        return current().map(SimulatorLoop::ready).orElse(false);
    }

    /** Why the loop died, if it did. */
    public Optional<Throwable> death() {
        return current().filter(SimulatorLoop::died)
                .map(l -> l.failure() != null ? l.failure() : new IllegalStateException("the loop thread ended"));
    }

    public int partitionsOwned() {
        return current().map(SimulatorLoop::partitionsOwned).orElse(0);
    }

    public long petsAlive() {
        return current().map(SimulatorLoop::petsAlive).orElse(0L);
    }

    private Optional<SimulatorLoop> current() {
        return Optional.ofNullable(loop);
    }

    private <N extends Number> void gauge(MeterRegistry registry, String name, String description,
                                          Function<Simulator, N> value) {
        ToDoubleFunction<Simulator> f = s -> value.apply(s).doubleValue();
        // the registry outlives an application restarted in the same JVM (tests): its gauge would read the old instance
        Gauge previous = registry.find(name).gauge();
        if (previous != null) {
            registry.remove(previous);
        }
        Gauge.builder(name, this, f).description(description).register(registry);
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOG.warn("no host name: set livepet.simulator.instance-id to a name unique per instance");
            return "local";
        }
    }
}
