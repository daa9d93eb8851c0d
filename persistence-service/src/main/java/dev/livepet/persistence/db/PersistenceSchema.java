package dev.livepet.persistence.db;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;

import java.util.Optional;

/**
 * Brings the world's tables up to date at start, first of all; in production only with the database password given,
 * so that a missing one is named rather than met as PostgreSQL's refused login.
 */
@ApplicationScoped
public class PersistenceSchema {
    private final Flyway flyway;
    private final Optional<String> password;

    public PersistenceSchema(Flyway flyway, @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.flyway = flyway;
        this.password = password;
    }

    void migrate(@Observes @Priority(1) StartupEvent start) {
        if (ConfigUtils.isProfileActive("prod") && password.map(String::isBlank).orElse(true)) {
            throw new IllegalStateException("The persistence service refuses to start in production."
                    + " QUARKUS_DATASOURCE_PASSWORD is not set: the password of the database user it writes as.");
        }
        flyway.migrate();
    }
}
