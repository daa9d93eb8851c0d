package dev.livepet.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code ./livepet up}: runs the world in the foreground until Ctrl-C (or SIGTERM from {@code ./livepet down}). */
public final class WorldMain {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("livepet.home", ".")).toAbsolutePath().normalize();
        WorldSettings settings;
        try {
            settings = WorldSettings.parse(home, Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("livepet: " + e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(settings.dataDir());
        System.setProperty("org.slf4j.simpleLogger.logFile", settings.dataDir().resolve("logs/stack.log").toString());
        Files.createDirectories(settings.dataDir().resolve("logs"));
        Path pidFile = settings.dataDir().resolve("world.pid");
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));

        World world;
        try {
            world = World.start(settings, System.out);
        } catch (RuntimeException e) {
            System.out.println();
            System.err.println("livepet: the world did not start: " + e.getMessage());
            Files.deleteIfExists(pidFile);
            System.exit(1);
            return;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            System.out.println("LivePet ▸ stopping the world…");
            world.close();
            deleteQuietly(pidFile);
            System.out.println("LivePet ▸ stopped");
        }, "livepet-stop"));

        System.out.println();
        System.out.println("LivePet is running. Open " + settings.viewerUrl());
        System.out.println("  Kafka      127.0.0.1:" + settings.kafkaPort() + "   (kcat -b localhost:" + settings.kafkaPort() + " -C -t pet-state)");
        System.out.println("  PostgreSQL 127.0.0.1:" + settings.postgresPort() + "   (psql postgresql://livepet:livepet@localhost:" + settings.postgresPort() + "/livepet)");
        System.out.println("  Partitions " + world.stack().partitions() + " (the world keeps its count; ./livepet topics"
                + " repartition --to N moves it, stopped, to another)");
        System.out.println("  Logs       " + settings.logs());
        // health and metrics are on each service's management port, never on the viewer's address above
        for (ServiceProcess s : world.services()) {
            System.out.printf("  %-20s health http://127.0.0.1:%d/q/health, metrics /q/metrics%n", s.name(),
                    s.managementPort());
        }
        System.out.println("Press Ctrl-C to stop (or ./livepet down from another terminal).");

        // a service that dies on its own is reported; the rest keeps running so its log can be read
        List<String> reported = new java.util.ArrayList<>();
        while (!stopping.get()) {
            for (ServiceProcess s : world.stopped()) {
                if (!reported.contains(s.name()) && !stopping.get()) {
                    reported.add(s.name());
                    System.err.println("livepet: " + s.name() + " stopped unexpectedly; see " + s.log());
                }
            }
            Thread.sleep(1000);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale world.pid is checked by ./livepet down before it is used
        }
    }
}
