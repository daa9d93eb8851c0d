package dev.livepet.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A real PostgreSQL from zonky's embedded binaries, its data kept in a folder of ours between runs. */
final class Postgres implements AutoCloseable {
    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    static Postgres start(Path dir, int port) {
        try {
            Files.createDirectories(dir);
            stopOrphan(dir);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    // zonky's default is off: a crash could lose commits whose Kafka offsets are already committed
                    .setServerConfig("synchronous_commit", "on")
                    // a million pets rewritten every minute: rarer checkpoints mean fewer full-page images in the WAL;
                    // only crash recovery gets longer, every commit stays durable (fsync, synchronous_commit)
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("shared_buffers", "512MB")
                    .start();
            Postgres postgres = new Postgres(server);
            postgres.ensureDatabase();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A JVM killed with -9 leaves its postgres child running: stop it by the pid it left behind. */
    static void stopOrphan(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> orphan = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        orphan.filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true))
                .ifPresent(p -> {
                    p.destroy(); // SIGTERM: PostgreSQL's smart shutdown
                    try {
                        p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
        Files.deleteIfExists(pidFile);
    }

    private void ensureDatabase() {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + LocalStackSettings.USER + "'")) {
                if (!r.next()) {
                    s.execute("CREATE ROLE " + LocalStackSettings.USER + " LOGIN PASSWORD '" + LocalStackSettings.PASSWORD + "'");
                }
            }
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + LocalStackSettings.DATABASE + "'")) {
                if (!r.next()) {
                    s.execute("CREATE DATABASE " + LocalStackSettings.DATABASE + " OWNER " + LocalStackSettings.USER);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the livepet database: " + e.getMessage(), e);
        }
    }

    /** The world's database as its owner reaches it. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + LocalStackSettings.DATABASE;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
