package dev.livepet.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One LivePet service running as its own JVM, as it runs in production, with its log in a file. Its pages are on
 * {@link #port()}; health and metrics only on its management interface, {@link #managementPort()}.
 */
public final class ServiceProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Path pidFile;
    private final Process process;

    private ServiceProcess(String name, int port, int managementPort, Path log, Path pidFile, Process process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.pidFile = pidFile;
        this.process = process;
    }

    /** Starts a service on {@code port}, its management interface on a free port of its own. */
    public static ServiceProcess start(String name, Path home, int port, Map<String, String> env, Path logs, Path pids) {
        return start(name, home, port, LocalStackSettings.freePort(), env, logs, pids);
    }

    /**
     * Starts a service on {@code port} with its management interface (health, metrics) on {@code managementPort}:
     * every process needs its own, as several instances run side by side on one machine.
     */
    public static ServiceProcess start(String name, Path home, int port, int managementPort, Map<String, String> env,
            Path logs, Path pids) {
        Path app = home.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: build first with ./mvnw -DskipTests package"
                    + " (./livepet up does that for you)");
        }
        try {
            Files.createDirectories(logs);
            Files.createDirectories(pids);
            Path log = logs.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String javaOptions = env.getOrDefault("LIVEPET_SERVICE_JAVA_OPTS", "");
            command.addAll(javaOptions.isBlank() ? List.of() : List.of(javaOptions.trim().split("\\s+")));
            command.add("-jar");
            command.add(app.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
            Process process = builder.start();
            Path pidFile = pids.resolve(name + ".pid");
            Files.writeString(pidFile, Long.toString(process.pid()));
            return new ServiceProcess(name, port, managementPort, log, pidFile, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** A world killed with -9 leaves its services running: stop the ones whose pid files remain. */
    static void stopOrphans(Path pids) throws IOException {
        if (!Files.isDirectory(pids)) {
            return;
        }
        try (var files = Files.list(pids)) {
            for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                        .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false))
                        .ifPresent(p -> {
                            p.destroy();
                            try {
                                p.onExit().get(20, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                p.destroyForcibly();
                            }
                        });
                Files.deleteIfExists(pidFile);
            }
        }
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** Where its health ({@code /q/health/*}) and metrics ({@code /q/metrics}) are: not on {@link #port()}. */
    public int managementPort() {
        return managementPort;
    }

    /** An address on its management interface, e.g. {@code management("/q/metrics")}. */
    public URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /** SIGKILL, as a crash would end it: no shutdown hook, no graceful leave of the consumer group. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once SmallRye Health says the service is ready. */
    public boolean isReady() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(management("/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of the service's log, to show why it did not start. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, so Quarkus shuts down gracefully; SIGKILL if it has not stopped in time. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file is checked against the command line before it is used
        }
    }
}
