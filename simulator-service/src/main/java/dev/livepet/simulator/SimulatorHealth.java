package dev.livepet.simulator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready when every owned partition is restored, seeded and ticking; alive while the simulator loop runs. */
@ApplicationScoped
public class SimulatorHealth {
    private final Simulator simulator;

    public SimulatorHealth(Simulator simulator) {
        this.simulator = simulator;
    }

    @Produces
    @Readiness
    HealthCheck ticking() {
        return () -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("livepet-simulator-partitions")
                    .status(simulator.ready())
                    .withData("partitions", simulator.partitionsOwned())
                    .withData("petsAlive", simulator.petsAlive());
            // e.g. the world was made with another partition count: say why here too, not only in liveness
            simulator.death().ifPresent(t -> response.withData("failure", String.valueOf(t.getMessage())));
            return response.build();
        };
    }

    @Produces
    @Liveness
    HealthCheck loop() {
        return () -> simulator.death()
                .map(t -> HealthCheckResponse.named("livepet-simulator-loop").down().withData("failure", String.valueOf(t.getMessage())).build())
                .orElseGet(() -> HealthCheckResponse.up("livepet-simulator-loop"));
    }
}
