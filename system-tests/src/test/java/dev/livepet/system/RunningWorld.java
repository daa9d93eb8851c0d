package dev.livepet.system;

import dev.livepet.stack.LocalStackSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The whole world started exactly as a person starts it, {@code ./livepet up}, on free ports in a folder of its
 * own; {@link #close()} stops it as Ctrl-C does. Its console output is kept in {@code target/world-console.log}.
 */
final class RunningWorld implements AutoCloseable {
    final Path home = Path.of(System.getProperty("livepet.home", "..")).toAbsolutePath().normalize();
    final Path data;
    final int httpPort = LocalStackSettings.freePort();
    final int postgresPort = LocalStackSettings.freePort();
    final int kafkaPort = LocalStackSettings.freePort();
    private final Process process;
    private final Thread reader;
    private final CompletableFuture<String> url = new CompletableFuture<>();
    private final List<String> console = new ArrayList<>();

    RunningWorld(Path data, int pets, String... env) throws IOException {
        this.data = data;
        List<String> command = new ArrayList<>(List.of(home.resolve("livepet").toString(), "up", "--no-build",
                "--data", data.toString(), "--pets", String.valueOf(pets),
                "--http-port", String.valueOf(httpPort), "--kafka-port", String.valueOf(kafkaPort),
                "--postgres-port", String.valueOf(postgresPort),
                "--controller-port", String.valueOf(LocalStackSettings.freePort()),
                "--simulator-port", String.valueOf(LocalStackSettings.freePort()),
                "--persistence-port", String.valueOf(LocalStackSettings.freePort())));
        for (String e : env) {
            command.add("--env");
            command.add(e);
        }
        process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
        reader = new Thread(this::readConsole, "world-console");
        reader.setDaemon(true);
        reader.start();
    }

    private void readConsole() {
        Path log = Path.of("target", "world-console.log");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                synchronized (console) {
                    console.add(line);
                }
                int at = line.indexOf("LivePet is running. Open ");
                if (at >= 0) {
                    url.complete(line.substring(at + "LivePet is running. Open ".length()).trim());
                }
            }
        } catch (IOException e) {
            url.completeExceptionally(e);
        }
        url.completeExceptionally(new IllegalStateException("the world stopped before it ran:\n" + console()));
    }

    /** The address the launcher printed, once the world is up. */
    String awaitUrl() throws Exception {
        return url.get(5, TimeUnit.MINUTES);
    }

    String console() {
        synchronized (console) {
            return String.join("\n", console);
        }
    }

    /** The last {@code lines} lines of a service's log ({@code ./livepet up} keeps them in the data folder). */
    String tail(String service, int lines) {
        Path log = data.resolve("logs").resolve(service + ".log");
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + LocalStackSettings.DATABASE;
    }

    /** Stops the world as Ctrl-C would (SIGTERM to the launcher) and returns its exit code. */
    int stop() throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM like Process.destroy(), but leaves the console pipe open to the end
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the world did not stop within 90 s:\n" + console());
        }
        reader.join(10_000); // the last lines it printed while stopping
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }
}
