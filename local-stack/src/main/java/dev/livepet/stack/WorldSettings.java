package dev.livepet.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code ./livepet up} runs the world: where the repository and the data are, the ports, and the settings
 * passed on to the services.
 *
 * @param home      the repository root; services run from {@code <home>/<service>/target/quarkus-app}
 * @param dataDir   kept between runs (git-ignored): broker and database data, logs, pid files
 * @param partitions the pet topics' count for a new world; {@link LocalStackSettings#THE_WORLDS_OWN} (the default)
 *                  starts an existing world with the count its topics have, a new one with 240
 * @param seedPets  ownerless pets the simulator seeds into an empty world
 * @param extraEnv  more environment for every service, e.g. LIVEPET_WORLD_TICK_INTERVAL=1s
 * @param without   services not to start, e.g. the one a developer runs in Quarkus dev mode
 */
public record WorldSettings(Path home, Path dataDir, int kafkaPort, int controllerPort, int postgresPort,
                            int viewerPort, int simulatorPort, int persistencePort, int partitions, int seedPets,
                            Map<String, String> extraEnv, Set<String> without) {

    public static WorldSettings defaults(Path home) {
        return new WorldSettings(home, home.resolve(".livepet"), 9092, 9093, 5432, 8080, 8081, 8082,
                LocalStackSettings.THE_WORLDS_OWN, 10_000, Map.of(), Set.of());
    }

    /** Reads {@code --name value} options over the defaults; unknown options are refused with a sentence. */
    public static WorldSettings parse(Path home, List<String> args) {
        WorldSettings s = defaults(home);
        Map<String, String> env = new LinkedHashMap<>();
        Set<String> without = new LinkedHashSet<>();
        List<String> rest = new ArrayList<>(args);
        Path data = s.dataDir;
        int kafka = s.kafkaPort, controller = s.controllerPort, postgres = s.postgresPort, viewer = s.viewerPort,
                simulator = s.simulatorPort, persistence = s.persistencePort, partitions = s.partitions, pets = s.seedPets;
        for (int i = 0; i < rest.size(); i++) {
            String option = rest.get(i);
            if (i + 1 >= rest.size()) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = rest.get(++i);
            switch (option) {
                case "--data" -> data = Path.of(value).toAbsolutePath();
                case "--kafka-port" -> kafka = number(option, value);
                case "--controller-port" -> controller = number(option, value);
                case "--postgres-port" -> postgres = number(option, value);
                case "--http-port" -> viewer = number(option, value);
                case "--simulator-port" -> simulator = number(option, value);
                case "--persistence-port" -> persistence = number(option, value);
                case "--partitions" -> {
                    partitions = number(option, value);
                    if (partitions < 1) {
                        throw new IllegalArgumentException("--partitions takes a count of at least 1, not " + value);
                    }
                }
                case "--pets" -> pets = number(option, value);
                case "--env" -> {
                    int eq = value.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--env takes NAME=value, not '" + value + "'");
                    }
                    env.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--without" -> {
                    if (!World.SERVICES.contains(value)) {
                        throw new IllegalArgumentException("--without takes one of " + World.SERVICES + ", not '" + value + "'");
                    }
                    without.add(value);
                }
                default -> throw new IllegalArgumentException("unknown option " + option
                        + " (known: --data --kafka-port --controller-port --postgres-port --http-port"
                        + " --simulator-port --persistence-port --partitions --pets --env NAME=value --without SERVICE)");
            }
        }
        return new WorldSettings(home, data, kafka, controller, postgres, viewer, simulator, persistence, partitions,
                pets, Map.copyOf(env), Set.copyOf(without));
    }

    private static int number(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
        }
    }

    LocalStackSettings stack() {
        return new LocalStackSettings(stackData(dataDir), kafkaPort, controllerPort, postgresPort, partitions);
    }

    /** Where a world kept in {@code dataDir} has its broker's and PostgreSQL's data. */
    static Path stackData(Path dataDir) {
        return dataDir.resolve("data");
    }

    Path logs() {
        return dataDir.resolve("logs");
    }

    Path pids() {
        return dataDir.resolve("pids");
    }

    public String viewerUrl() {
        return "http://localhost:" + viewerPort;
    }
}
