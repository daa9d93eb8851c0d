package dev.livepet.simulator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready when every owned partition is restored and ticking; alive while the simulator loop runs. */
@ApplicationScoped
public class SimulatorHealth {
    private final Simulator simulator;

    public SimulatorHealth(Simulator simulator) {
        this.simulator = simulator;
    }

    @Produces
    @Readiness
    HealthCheck ticking() {
        return () -> HealthCheckResponse.named("simulator-partitions")
                .status(simulator.ready())
                .withData("partitions", simulator.partitionsOwned())
                .withData("petsAlive", simulator.petsAlive())
                .build();
    }

    @Produces
    @Liveness
    HealthCheck loop() {
        return () -> simulator.death()
                .map(t -> HealthCheckResponse.named("simulator-loop").down().withData("failure", String.valueOf(t.getMessage())).build())
                .orElseGet(() -> HealthCheckResponse.up("simulator-loop"));
    }
}
