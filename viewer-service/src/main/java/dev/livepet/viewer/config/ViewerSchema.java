package dev.livepet.viewer.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.flywaydb.core.Flyway;

/** Brings the viewer's own tables up to date at start, right after {@link ProductionSettings} let it start. */
@ApplicationScoped
public class ViewerSchema {
    private final Flyway flyway;

    public ViewerSchema(Flyway flyway) {
        this.flyway = flyway;
    }

    void migrate(@Observes @Priority(2) StartupEvent start) {
        flyway.migrate();
    }
}
