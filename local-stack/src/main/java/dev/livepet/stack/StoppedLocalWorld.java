package dev.livepet.stack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local world of {@code ./livepet up}, stopped, opened for a move: its broker and PostgreSQL started from its data
 * folder on ports of their own, so that no service of it can find them meanwhile, and stopped again afterwards.
 * The topics remember the new count: the next {@code ./livepet up} starts the world with it.
 */
final class StoppedLocalWorld {
    private StoppedLocalWorld() {
    }

    /** @param from a census an earlier move kept, to finish that move; null for a new one */
    static void repartition(Path dataDir, int target, Path from, PrintStream out) throws Exception {
        WorldAtRest.localProcesses(dataDir, "repartition").ifPresent(why -> {
            throw new MoveRefused(why);
        });
        Path stackData = WorldSettings.stackData(dataDir);
        if (!Files.isDirectory(stackData.resolve("kafka")) || !Files.isDirectory(stackData.resolve("postgres"))) {
            throw new MoveRefused("there is no world in " + dataDir + " (./livepet up makes one; --data DIR names"
                    + " another)");
        }
        long t0 = System.nanoTime();
        out.printf("LivePet ▸ opening the stopped world in %s (Kafka and PostgreSQL on ports of their own) ", dataDir);
        out.flush();
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts(stackData, LocalStackSettings.THE_WORLDS_OWN))) {
            out.printf("ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            new Repartition(stack.kafkaBootstrapServers(), target,
                    new ClockRows(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD), out, dataDir,
                    from).run();
        }
        out.println("LivePet ▸ ./livepet up starts it with its " + target + " partitions (no --partitions needed)");
    }
}
