package dev.livepet.stack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorldSettingsTest {
    private final Path home = Path.of("/repo");

    @Test
    void defaultsAreTheLocalWorlds() {
        WorldSettings s = WorldSettings.parse(home, List.of());
        assertThat(s.dataDir()).isEqualTo(Path.of("/repo/.livepet"));
        assertThat(s.viewerUrl()).isEqualTo("http://localhost:8080");
        assertThat(s.kafkaPort()).isEqualTo(9092);
        assertThat(s.partitions()).isEqualTo(LocalStackSettings.THE_WORLDS_OWN); // its topics say, 240 for a new one
        assertThat(s.seedPets()).isEqualTo(10_000);
        assertThat(s.without()).isEmpty();
    }

    @Test
    void optionsOverrideTheDefaults() {
        WorldSettings s = WorldSettings.parse(home, List.of("--http-port", "9000", "--pets", "5", "--partitions", "6",
                "--env", "LIVEPET_WORLD_TICK_INTERVAL=1s", "--without", "viewer-service", "--data", "/tmp/w"));
        assertThat(s.viewerPort()).isEqualTo(9000);
        assertThat(s.seedPets()).isEqualTo(5);
        assertThat(s.partitions()).isEqualTo(6);
        assertThat(s.extraEnv()).isEqualTo(Map.of("LIVEPET_WORLD_TICK_INTERVAL", "1s"));
        assertThat(s.without()).isEqualTo(Set.of("viewer-service"));
        assertThat(s.stack().dataDir()).isEqualTo(Path.of("/tmp/w/data"));
    }

    @Test
    void badOptionsAreRefusedWithASentence() {
        assertThatThrownBy(() -> WorldSettings.parse(home, List.of("--pets", "many")))
                .hasMessage("--pets takes a whole number, not 'many'");
        assertThatThrownBy(() -> WorldSettings.parse(home, List.of("--colour", "blue")))
                .hasMessageStartingWith("unknown option --colour");
        assertThatThrownBy(() -> WorldSettings.parse(home, List.of("--http-port")))
                .hasMessage("option --http-port needs a value");
        assertThatThrownBy(() -> WorldSettings.parse(home, List.of("--without", "kafka")))
                .hasMessageStartingWith("--without takes one of");
        assertThatThrownBy(() -> WorldSettings.parse(home, List.of("--env", "NOEQUALS")))
                .hasMessage("--env takes NAME=value, not 'NOEQUALS'");
    }
}
