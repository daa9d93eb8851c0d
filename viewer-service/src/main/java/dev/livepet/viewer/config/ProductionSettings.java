package dev.livepet.viewer.config;

import dev.livepet.viewer.config.rules.RequiredSettings;
import dev.livepet.viewer.config.rules.RequiredSettings.Setting;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * In production the viewer starts only with what it must not guess: the session key every instance shares, the public
 * address its mails point to (a guessed one would come from the request's Host header, which anyone forges) and the
 * database password. It checks before anything reaches PostgreSQL ({@link ViewerSchema} migrates after it).
 */
@ApplicationScoped
public class ProductionSettings {
    private final ViewerConfig config;
    private final Optional<String> sessionKey;
    private final Optional<String> databasePassword;

    public ProductionSettings(ViewerConfig config,
                              @ConfigProperty(name = "quarkus.http.auth.session.encryption-key") Optional<String> sessionKey,
                              @ConfigProperty(name = "quarkus.datasource.password") Optional<String> databasePassword) {
        this.config = config;
        this.sessionKey = sessionKey;
        this.databasePassword = databasePassword;
    }

    void check(@Observes @Priority(1) StartupEvent start) {
        if (!ConfigUtils.isProfileActive("prod")) {
            return;
        }
        RequiredSettings.refusal(List.of(
                new Setting("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY",
                        "the key of the session cookies, the same on every viewer instance (16 characters or more)",
                        sessionKey, key -> key.length() < 16 ? Optional.of("has fewer than 16 characters")
                        : Optional.empty()),
                new Setting("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL",
                        "the address players open, which every mailed link starts with",
                        config.accounts().publicUrl(), RequiredSettings::publicUrlProblem),
                new Setting("QUARKUS_DATASOURCE_PASSWORD", "the password of the database user the viewer logs in as",
                        databasePassword)))
                .ifPresent(refusal -> {
                    throw new IllegalStateException(refusal);
                });
    }
}
