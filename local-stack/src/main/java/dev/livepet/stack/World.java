package dev.livepet.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole LivePet world on one machine: the local stack, then the three services as separate processes,
 * each waited for until it is ready. {@link #close()} stops them in reverse order.
 */
public final class World implements AutoCloseable {
    static final List<String> SERVICES = List.of("persistence-service", "simulator-service", "viewer-service");
    private static final long READY_TIMEOUT_MS = 180_000;

    private final WorldSettings settings;
    private final PrintStream out;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<ServiceProcess> instances = new ArrayList<>(); // more instances beside the world's, for tests
    // each service's management port (health, metrics): free ports, chosen once, so a restart keeps its address
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private LocalStack stack;

    private World(WorldSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Starts everything, printing progress to {@code out}; on failure stops what was started and throws. */
    public static World start(WorldSettings settings, PrintStream out) {
        World world = new World(settings, out);
        try {
            world.startAll();
            return world;
        } catch (RuntimeException e) {
            world.close();
            throw e;
        }
    }

    private void startAll() {
        try {
            ServiceProcess.stopOrphans(settings.pids());
            Files.createDirectories(settings.logs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requireFreePorts();

        long t0 = System.nanoTime();
        step("starting Kafka on 127.0.0.1:%d and PostgreSQL on 127.0.0.1:%d (data in %s)",
                settings.kafkaPort(), settings.postgresPort(), settings.stack().dataDir());
        stack = LocalStack.start(settings.stack());
        done(t0);
        WorldMadeBefore.eventsContract(stack).ifPresent(why -> {
            throw new IllegalStateException(why);
        });

        // persistence first: it migrates the schema the viewer reads
        startAndAwait(List.of("persistence-service"));
        startAndAwait(List.of("simulator-service", "viewer-service"));
    }

    private int port(String service) {
        return switch (service) {
            case "persistence-service" -> settings.persistencePort();
            case "simulator-service" -> settings.simulatorPort();
            default -> settings.viewerPort();
        };
    }

    private int managementPort(String service) {
        // none of the world's own ports: a service given one may not have bound it yet
        return managementPorts.computeIfAbsent(service, s -> LocalStackSettings.freePortExcept(Set.of(
                settings.kafkaPort(), settings.controllerPort(), settings.postgresPort(), settings.viewerPort(),
                settings.simulatorPort(), settings.persistencePort())));
    }

    private Map<String, String> serviceEnv() {
        Map<String, String> env = new LinkedHashMap<>(stack.serviceEnvironment());
        env.put("LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(settings.seedPets()));
        // the viewer's accounts in a local world: mail stays on the machine and shows at /mailbox; the session key
        // is kept with the data, so a restarted world keeps its players logged in
        env.put("QUARKUS_MAILER_MOCK", "true");
        env.put("LIVEPET_VIEWER_ACCOUNTS_MAILBOX", "true");
        env.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", sessionKey());
        // the address the world prints is the one its mails point to
        env.put("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL", "http://localhost:" + settings.viewerPort());
        // every player of a local world comes from this machine: its address may sign up and ask for resets freely
        env.put("LIVEPET_VIEWER_ACCOUNTS_REGISTRATIONS_PER_ADDRESS", "1000000");
        env.put("LIVEPET_VIEWER_ACCOUNTS_RESET_REQUESTS_PER_ADDRESS", "1000000");
        env.putAll(settings.extraEnv());
        return env;
    }

    private String sessionKey() {
        Path file = settings.dataDir().resolve("viewer-session.key");
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.writeString(file, HexFormat.of().formatHex(key));
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the viewer's session key in " + file, e);
        }
    }

    private void startAndAwait(List<String> names) {
        List<String> wanted = names.stream().filter(n -> !settings.without().contains(n)).toList();
        if (wanted.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        Map<String, String> env = serviceEnv();
        List<ServiceProcess> starting = wanted.stream().map(n -> ServiceProcess.start(n, settings.home(), port(n),
                managementPort(n), env, settings.logs(), settings.pids())).toList();
        services.addAll(starting);
        step("starting %s", String.join(", ", starting.stream().map(ServiceProcess::name).toList()));
        List<ServiceProcess> waiting = new ArrayList<>(starting);
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (!waiting.isEmpty()) {
            for (ServiceProcess s : List.copyOf(waiting)) {
                if (!s.isAlive()) {
                    throw new IllegalStateException(s.name() + " stopped while starting; the end of " + s.log()
                            + ":\n" + s.tail(30));
                }
                if (s.isReady()) {
                    waiting.remove(s);
                }
            }
            if (System.currentTimeMillis() > deadline) {
                ServiceProcess s = waiting.get(0);
                throw new IllegalStateException(s.name() + " was not ready after " + READY_TIMEOUT_MS / 1000
                        + " s; the end of " + s.log() + ":\n" + s.tail(30));
            }
            out.print('.');
            out.flush();
            sleep(500);
        }
        done(t0);
    }

    private void requireFreePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--kafka-port", settings.kafkaPort());
        ports.put("--controller-port", settings.controllerPort());
        ports.put("--postgres-port", settings.postgresPort());
        ports.put("--http-port", settings.viewerPort());
        ports.put("--simulator-port", settings.simulatorPort());
        ports.put("--persistence-port", settings.persistencePort());
        ports.forEach((option, port) -> {
            try (ServerSocket ignored = new ServerSocket(port)) {
                // free
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " is in use. Is a world already running"
                        + " (./livepet down stops it)? Otherwise choose another with " + option + ".");
            }
        });
    }

    private void step(String format, Object... args) {
        out.printf("LivePet ▸ " + format + " ", args);
        out.flush();
    }

    private void done(long t0) {
        out.printf("ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    public WorldSettings settings() {
        return settings;
    }

    public LocalStack stack() {
        return stack;
    }

    /** The world's services, in the order they started. */
    public synchronized List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** The process of a service the world started (or restarted). */
    public synchronized ServiceProcess service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " is not one of the world's services"));
    }

    /**
     * Starts a service again as the world started it (same port, same settings), as a supervisor restarts a
     * crashed or updated process; the old one is stopped first if it still runs. Returns without waiting for it.
     */
    public synchronized ServiceProcess restart(String name) {
        ServiceProcess old = service(name);
        old.stop();
        try { // the old process's log stays beside the new one's
            Files.move(old.log(), old.log().resolveSibling(name + ".before-restart.log"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServiceProcess fresh = ServiceProcess.start(name, settings.home(), port(name), managementPort(name), serviceEnv(),
                settings.logs(), settings.pids());
        services.set(services.indexOf(old), fresh);
        return fresh;
    }

    /**
     * One more instance of a service beside the world's, e.g. a second simulator: the world's settings plus
     * {@code extraEnv}, its log and pid file under {@code instance/}, a management port of its own; stopped with
     * the world.
     */
    public synchronized ServiceProcess startInstance(String name, String instance, int port, Map<String, String> extraEnv) {
        Map<String, String> env = serviceEnv();
        env.putAll(extraEnv);
        ServiceProcess s = ServiceProcess.start(name, settings.home(), port, env, settings.logs().resolve(instance),
                settings.pids().resolve(instance));
        instances.add(s);
        return s;
    }

    /** Services that stopped on their own, for the launcher to report. */
    List<ServiceProcess> stopped() {
        return services.stream().filter(s -> !s.isAlive()).toList();
    }

    @Override
    public synchronized void close() {
        instances.forEach(ServiceProcess::stop);
        instances.clear();
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        services.clear();
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
