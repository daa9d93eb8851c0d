package dev.livepet.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** The repository's files under test: docker-compose.yml, k8s/, helm/ and each service's build settings. */
final class Checkout {
    static final List<String> SERVICES = List.of("persistence-service", "simulator-service", "viewer-service");

    private Checkout() {
    }

    static Path root() {
        return Path.of(System.getProperty("livepet.root", "..")).toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service's application.properties (the profile-less values are what a container runs with). */
    static Properties applicationProperties(String service) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(read(service + "/src/main/resources/application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static int httpPort(String service) {
        return Integer.parseInt(applicationProperties(service).getProperty("quarkus.http.port"));
    }

    /**
     * The port of the service's management interface (health, metrics), which its build turns on
     * (quarkus.management.enabled): quarkus.management.port, Quarkus' 9000 unless set; 0 if it is off.
     */
    static int managementPort(String service) {
        Properties p = applicationProperties(service);
        if (!Boolean.parseBoolean(p.getProperty("quarkus.management.enabled", "false"))) {
            return 0;
        }
        return Integer.parseInt(p.getProperty("quarkus.management.port", "9000"));
    }

    /** The image the service's build names (quarkus.container-image.*), e.g. livepet/viewer-service:0.1.0. */
    static String image(String service) {
        Properties p = applicationProperties(service);
        return p.getProperty("quarkus.container-image.group") + "/" + p.getProperty("quarkus.container-image.name")
                + ":" + p.getProperty("quarkus.container-image.tag");
    }
}
