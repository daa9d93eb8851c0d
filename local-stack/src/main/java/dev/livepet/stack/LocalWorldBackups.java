package dev.livepet.stack;

import dev.livepet.contract.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./livepet backup} and {@code ./livepet restore} on the local world of {@code ./livepet up}. A backup reads the
 * world's PostgreSQL where it runs (the port its {@code postmaster.pid} names), or, the world stopped, opens it alone on
 * a port of its own. A restore needs the world stopped: it moves the old PostgreSQL folder aside, makes a new one from
 * the backup, and sets the persistence service's group back to the beginning of {@code pet-state}, so that the pets
 * come back from Kafka when the world starts.
 */
final class LocalWorldBackups {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private LocalWorldBackups() {
    }

    /** Where a backup goes when no --to says: the world's own folder, backups/. */
    static Path defaultFile(Path dataDir) {
        return dataDir.resolve("backups").resolve("livepet-" + STAMP.format(Instant.now()) + ".zip");
    }

    static WorldBackup.Written backup(Path dataDir, Path file, PrintStream out) throws Exception {
        Path postgresDir = postgresDir(dataDir);
        if (!Files.exists(postgresDir.resolve("PG_VERSION"))) {
            throw new BackupRefused("there is no world's PostgreSQL in " + dataDir + " (./livepet up makes one; --data DIR"
                    + " names another): nothing was written");
        }
        Optional<Integer> running = runningPort(postgresDir);
        WorldBackup.Written written;
        if (running.isPresent()) {
            say(out, "backing up the world's PostgreSQL (running, 127.0.0.1:%d) to %s", running.get(), file);
            written = new WorldBackup(jdbcUrl(running.get()), LocalStackSettings.USER, LocalStackSettings.PASSWORD, out)
                    .write(file);
        } else {
            long t0 = System.nanoTime();
            int port = LocalStackSettings.freePort();
            try (Postgres postgres = Postgres.start(postgresDir, port)) {
                say(out, "the world is stopped: its PostgreSQL opened alone on 127.0.0.1:%d in %.1f s; backing it up to %s",
                        port, (System.nanoTime() - t0) / 1e9, file);
                written = new WorldBackup(jdbcUrl(port), LocalStackSettings.USER, LocalStackSettings.PASSWORD, out)
                        .write(file);
            }
        }
        say(out, "backed up %d tables, %,d rows (%s) as they were at %s: %,d bytes in %.1f s, %s",
                written.manifest().tables().size(), written.manifest().rows(), rowsOf(written.manifest(), "accounts",
                        "treat_purses", "pets", "partition_clocks"), written.manifest().madeAt(), written.bytes(),
                written.seconds(), file);
        return written;
    }

    static void restore(Path dataDir, Path file, PrintStream out) throws Exception {
        WorldAtRest.localProcesses(dataDir, "restore").ifPresent(why -> {
            throw new BackupRefused(why);
        });
        Path stackData = WorldSettings.stackData(dataDir);
        if (!Files.isDirectory(stackData.resolve("kafka"))) {
            throw new BackupRefused("there is no world's Kafka in " + dataDir + ": a restore takes the accounts from the"
                    + " backup and the pets from the world's pet-state; --data DIR names another world; nothing was changed");
        }
        long t0 = System.nanoTime();
        try (BackupFile.Opened backup = BackupFile.Opened.open(file)) {
            say(out, "restoring the backup made at %s (%d tables, %,d rows; %s) into the stopped world in %s",
                    backup.manifest.madeAt(), backup.manifest.tables().size(), backup.manifest.rows(),
                    backup.manifest.postgres().replaceAll(" on .*", ""), dataDir);
            Path postgresDir = postgresDir(dataDir);
            Path aside = null;
            if (Files.exists(postgresDir)) {
                Postgres.stopOrphan(postgresDir);
                aside = postgresDir.resolveSibling("postgres.before-restore-" + STAMP.format(Instant.now()));
                Files.move(postgresDir, aside);
                say(out, "the world's PostgreSQL folder moved aside to %s (delete it once the restored world is as you"
                        + " want it)", aside);
            } else {
                say(out, "the world has no PostgreSQL folder (%s): a new one is made", postgresDir);
            }
            try {
                restoreInto(stackData, backup, out);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage() + (aside == null ? "" : ". The world's PostgreSQL as it was"
                        + " before is in " + aside + ": move it back to " + postgresDir + ", or fix the cause and restore"
                        + " again"), e);
            }
        }
        say(out, "restored in %.1f s; ./livepet up starts the world (--data as here): accounts, sessions and purses are"
                + " the backup's, the pets Kafka's", (System.nanoTime() - t0) / 1e9);
    }

    /** The new PostgreSQL made from the backup, then the persistence service's group set back. */
    private static void restoreInto(Path stackData, BackupFile.Opened backup, PrintStream out) throws Exception {
        long t1 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts(stackData, LocalStackSettings.THE_WORLDS_OWN))) {
            say(out, "the world's Kafka and a new PostgreSQL opened on ports of their own in %.1f s",
                    (System.nanoTime() - t1) / 1e9);
            WorldRestore.Restored restored = new WorldRestore(stack.jdbcUrl(), LocalStackSettings.USER,
                    LocalStackSettings.PASSWORD, out).load(backup);
            say(out, "PostgreSQL restored in %.1f s: %s as backed up", restored.seconds(),
                    rowsOf(backup.manifest, "accounts", "account_sessions", "treat_purses", "pets", "partition_clocks"));
            forgetClocksOfAnotherCount(stack, out);
            PersistenceRefill.Rewound rewound = new PersistenceRefill(stack.kafkaBootstrapServers()).rewind();
            say(out, "the %s group had committed %,d records of %s's %d partitions, newer than the backup: set back to"
                    + " the beginning, it reads all %,d again when the world starts and brings every pet and clock"
                    + " up to date (it only ever raises a version or a tick)", ServiceGroups.PERSISTENCE,
                    rewound.committed(), Topics.PET_STATE, rewound.partitions(), rewound.toRead());
        }
    }

    /**
     * A backup made before a repartition holds clocks of the old count, and the persistence service refuses to start
     * on them: they go, and it writes the new ones from the topic (each pet's row is replaced by its moved event, one
     * version up).
     */
    private static void forgetClocksOfAnotherCount(LocalStack stack, PrintStream out) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT to_regclass('partition_clocks') IS NOT NULL")) {
                r.next();
                if (!r.getBoolean(1)) {
                    return;
                }
            }
            int deleted = s.executeUpdate("DELETE FROM partition_clocks WHERE partitions <> " + stack.partitions());
            if (deleted > 0) {
                say(out, "%d partition_clocks rows of the backup name another partition count than the topics' %d (the"
                        + " world was repartitioned since): deleted, the persistence service writes them anew", deleted,
                        stack.partitions());
            }
        }
    }

    /** The port of the world's PostgreSQL if it runs: the fourth line of its postmaster.pid, the first its pid. */
    private static Optional<Integer> runningPort(Path postgresDir) throws IOException {
        Path pidFile = postgresDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) {
            return Optional.empty();
        }
        boolean alive = ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true)).isPresent();
        return alive ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
    }

    private static String rowsOf(BackupFile.Manifest manifest, String... tables) {
        StringBuilder said = new StringBuilder();
        for (String table : tables) {
            manifest.tables().stream().filter(t -> t.table().name().equals(table)).findFirst().ifPresent(t ->
                    said.append(said.isEmpty() ? "" : ", ").append(String.format("%,d %s", t.rows(), table)));
        }
        return said.toString();
    }

    private static Path postgresDir(Path dataDir) {
        return WorldSettings.stackData(dataDir).resolve("postgres");
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + LocalStackSettings.DATABASE;
    }

    private static void say(PrintStream out, String format, Object... args) {
        out.printf("LivePet ▸ " + format + "%n", args);
        out.flush();
    }
}
