package dev.livepet.stack;

import dev.livepet.contract.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the local stack keeps its data and which ports it listens on.
 *
 * @param dataDir        kept between runs; {@code kafka/} and {@code postgres/} live below it
 * @param kafkaPort      the broker's client port (kcat -b localhost:kafkaPort)
 * @param controllerPort the KRaft controller's port
 * @param postgresPort   PostgreSQL's port
 * @param partitions     partition count of the pet topics of a new world; {@link #THE_WORLDS_OWN} keeps the count
 *                       an existing world's topics have (a new world then gets {@link Topics#DEFAULT_PARTITIONS})
 * @param kafkaScram     false (the default): a plaintext broker anyone on the machine may use; true: SCRAM-SHA-512
 *                       on the client listener and Kafka's ACLs, a user per service with what
 *                       {@link KafkaAcls} grants it ({@link LocalStack#serviceProperties(String)}), and the stack's
 *                       own super user ({@link LocalStack#kafkaAdminProperties()}); for a new data folder only
 */
public record LocalStackSettings(Path dataDir, int kafkaPort, int controllerPort, int postgresPort, int partitions,
                                 boolean kafkaScram) {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    public static final String DATABASE = "livepet";
    public static final String USER = "livepet";
    public static final String PASSWORD = "livepet";
    /** As partition count: whatever the world's topics have (they remember it, also after a repartition). */
    public static final int THE_WORLDS_OWN = 0;

    /** A plaintext broker, as the local world and most tests have it. */
    public LocalStackSettings(Path dataDir, int kafkaPort, int controllerPort, int postgresPort, int partitions) {
        this(dataDir, kafkaPort, controllerPort, postgresPort, partitions, false);
    }

    /** The same stack with SCRAM and ACLs on its broker ({@link #kafkaScram()}). */
    public LocalStackSettings withKafkaScram() {
        return new LocalStackSettings(dataDir, kafkaPort, controllerPort, postgresPort, partitions, true);
    }

    /** The local world's defaults: the usual ports, so that kcat and psql need no flags beyond them. */
    public static LocalStackSettings defaults(Path dataDir) {
        return new LocalStackSettings(dataDir, 9092, 9093, 5432, Topics.DEFAULT_PARTITIONS);
    }

    /** Free ports, for tests that must not collide with a running world or each other. */
    public static LocalStackSettings onFreePorts(Path dataDir, int partitions) {
        return new LocalStackSettings(dataDir, freePort(), freePort(), freePort(), partitions);
    }

    /** A port free now that this JVM has not handed out before (one handed out may not be bound yet). */
    public static int freePort() {
        return freePortExcept(Set.of());
    }

    /** {@link #freePort()}, and none of {@code taken}: ports others were given but may not have bound yet. */
    public static int freePortExcept(Set<Integer> taken) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!taken.contains(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in 100 tries");
    }
}
