package dev.livepet.viewer;

import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code pets} table as the persistence service's own Flyway script creates it (run once per test JVM),
 * and rows in it as that service would write them.
 */
public class PetsTable implements QuarkusTestResourceLifecycleManager {
    private static final Path MIGRATION =
            Path.of("../persistence-service/src/main/resources/db/migration/V1__pets.sql");
    private static boolean created;

    @Override
    public Map<String, String> start() {
        create();
        return Map.of();
    }

    @Override
    public void stop() {
        // the table outlives one test class, like the stack
    }

    static synchronized void create() {
        if (created) {
            return;
        }
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            try (ResultSet exists = sql.executeQuery("SELECT to_regclass('public.pets') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    sql.execute(Files.readString(MIGRATION));
                }
            }
            created = true;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not create the pets table from " + MIGRATION.toAbsolutePath(), e);
        }
    }

    /** A pet id no other test uses; below the adopted range, like a seeded pet's. */
    public static long freshId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1L << 32);
    }

    public static void insert(long id, String owner, String name, Species species, int age, int hunger, boolean alive,
                              long version) {
        create();
        Instant now = Instant.now();
        try (Connection db = connect(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO pets (id, owner, name, species, age, hunger, alive, version, cause, changed_at, born_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setString(2, owner);
            insert.setString(3, name);
            insert.setString(4, species.id());
            insert.setInt(5, age);
            insert.setInt(6, hunger);
            insert.setBoolean(7, alive);
            insert.setLong(8, version);
            insert.setString(9, alive ? "tick" : "died");
            insert.setTimestamp(10, Timestamp.from(now));
            insert.setTimestamp(11, Timestamp.from(now));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many pets the table holds that are alive (or dead). */
    public static long count(boolean alive) {
        create();
        try (Connection db = connect(); PreparedStatement count = db.prepareStatement(
                "SELECT count(*) FROM pets WHERE alive = ?")) {
            count.setBoolean(1, alive);
            try (ResultSet r = count.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Locks the whole table until the returned lock is closed: every read of it waits meanwhile, as a slow
     * PostgreSQL makes it wait.
     */
    public static AutoCloseable lock() {
        create();
        try {
            Connection db = connect();
            db.setAutoCommit(false);
            try (Statement sql = db.createStatement()) {
                sql.execute("LOCK TABLE pets IN ACCESS EXCLUSIVE MODE");
            }
            return () -> {
                if (!db.isClosed()) {
                    db.rollback();
                    db.close();
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True once some session waits for a lock on the table (a read behind {@link #lock()}). */
    public static boolean aReadWaits() {
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet r = sql.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted"
                     + " AND relation = 'public.pets'::regclass")) {
            r.next();
            return r.getLong(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(), LocalStackSettings.USER,
                LocalStackSettings.PASSWORD);
    }
}
