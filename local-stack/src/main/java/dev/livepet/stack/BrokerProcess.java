package dev.livepet.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka broker as a JVM of its own, as it runs in production: a benchmark's garbage collections and CPU then
 * stop only the benchmark, and the broker's own CPU and memory can be measured apart.
 */
final class BrokerProcess implements Broker {
    static final String READY = "LivePet broker ready";
    private static final long START_PATIENCE_MILLIS = 120_000;

    private final Process process;

    private BrokerProcess(Process process) {
        this.process = process;
    }

    static BrokerProcess start(Path dir, int port, int controllerPort, boolean scram, List<String> javaOptions) {
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("broker.log");
            List<String> command = new java.util.ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(javaOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaBroker.class.getName(),
                    dir.toString(), String.valueOf(port), String.valueOf(controllerPort)));
            if (scram) {
                command.add("scram");
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            long deadline = System.currentTimeMillis() + START_PATIENCE_MILLIS;
            while (!Files.readString(log).contains(READY)) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the Kafka broker did not start; its log: " + log);
                }
                Thread.sleep(100);
            }
            return new BrokerProcess(process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Kafka broker started", e);
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
