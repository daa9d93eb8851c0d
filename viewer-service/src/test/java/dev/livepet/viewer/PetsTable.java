package dev.livepet.viewer;

import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The persistence service's schema as its own Flyway scripts create it, every {@code V*__*.sql} in version order (run
 * once per test JVM), so a change of the read model there breaks the viewer's build; and rows in it as that service
 * would write them.
 */
public class PetsTable implements QuarkusTestResourceLifecycleManager {
    private static final Path MIGRATIONS = Path.of("../persistence-service/src/main/resources/db/migration");
    private static final Pattern SCRIPT = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.+\\.sql");
    private static boolean created;

    @Override
    public Map<String, String> start() {
        create();
        return Map.of();
    }

    @Override
    public void stop() {
        // the tables outlive one test class, like the stack
    }

    static synchronized void create() {
        if (created) {
            return;
        }
        List<Path> scripts = scripts();
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            try (ResultSet exists = sql.executeQuery("SELECT to_regclass('public.pets') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    for (Path script : scripts) {
                        sql.execute(Files.readString(script));
                    }
                }
            }
            created = true;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not run the persistence service's scripts " + scripts, e);
        }
    }

    /** The persistence service's migrations, in Flyway's order (by version, each part a number). */
    static List<Path> scripts() {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            List<Path> scripts = files.filter(f -> SCRIPT.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(PetsTable::version, PetsTable::compareVersions)).toList();
            if (scripts.isEmpty()) {
                throw new IllegalStateException("no V*__*.sql in " + MIGRATIONS.toAbsolutePath());
            }
            return scripts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BigInteger[] version(Path script) {
        Matcher m = SCRIPT.matcher(script.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(script.toString());
        }
        return Arrays.stream(m.group(1).split("[._]")).map(BigInteger::new).toArray(BigInteger[]::new);
    }

    private static int compareVersions(BigInteger[] a, BigInteger[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int c = (i < a.length ? a[i] : BigInteger.ZERO).compareTo(i < b.length ? b[i] : BigInteger.ZERO);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** A pet id no other test uses; below the adopted range, like a seeded pet's. */
    public static long freshId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1L << 32);
    }

    /** A fresh pet id that lives in this partition. */
    public static long freshIdIn(int partition) {
        long id = freshId();
        while (PetTopics.partitionOf(id) != partition) {
            id = freshId();
        }
        return id;
    }

    /**
     * A pet's last event as the persistence service writes it, at its partition's tick as PostgreSQL holds it: the
     * read model shows it as it is.
     */
    public static void insert(long id, String owner, String name, Species species, int age, int hunger, boolean alive,
                              long version) {
        insert(id, owner, name, species, age, hunger, alive, version, storedTick(PetTopics.partitionOf(id)));
    }

    /** A pet's last event, which holds at partition tick {@code tick}. */
    public static void insert(long id, String owner, String name, Species species, int age, int hunger, boolean alive,
                              long version, long tick) {
        create();
        Instant now = Instant.now();
        try (Connection db = connect(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO pets (id, owner, name, species, age, hunger, alive, version, cause, changed_at, born_at,"
                        + " died_at, tick, partition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setString(2, owner);
            insert.setString(3, name);
            insert.setString(4, species.id());
            insert.setInt(5, age);
            insert.setInt(6, hunger);
            insert.setBoolean(7, alive);
            insert.setLong(8, version);
            insert.setString(9, alive ? (version == 1 ? "adopted" : "fed") : "died");
            insert.setTimestamp(10, Timestamp.from(now));
            insert.setTimestamp(11, Timestamp.from(now));
            insert.setTimestamp(12, alive ? null : Timestamp.from(now));
            insert.setLong(13, tick);
            insert.setInt(14, PetTopics.partitionOf(id));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A pet's newer event, as the persistence service writes it over an older version. */
    public static void update(long id, int age, int hunger, boolean alive, long version, String cause, long tick) {
        try (Connection db = connect(); PreparedStatement update = db.prepareStatement(
                "UPDATE pets SET age = ?, hunger = ?, alive = ?, version = ?, cause = ?, tick = ?, changed_at = now()"
                        + " WHERE id = ? AND version < ?")) {
            update.setInt(1, age);
            update.setInt(2, hunger);
            update.setBoolean(3, alive);
            update.setLong(4, version);
            update.setString(5, cause);
            update.setLong(6, tick);
            update.setLong(7, id);
            update.setLong(8, version);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("pet " + id + " has no version below " + version);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A partition's tick as the persistence service keeps it: never lowered. */
    public static void clock(PartitionTick tick) {
        create();
        try (Connection db = connect(); PreparedStatement upsert = db.prepareStatement(
                "INSERT INTO partition_clocks (partition, partitions, tick, ticked_at, age_per_tick, hunger_per_tick,"
                        + " max_hunger) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (partition) DO UPDATE SET"
                        + " partitions = EXCLUDED.partitions, tick = EXCLUDED.tick, ticked_at = EXCLUDED.ticked_at,"
                        + " age_per_tick = EXCLUDED.age_per_tick, hunger_per_tick = EXCLUDED.hunger_per_tick,"
                        + " max_hunger = EXCLUDED.max_hunger WHERE partition_clocks.tick < EXCLUDED.tick")) {
            upsert.setInt(1, tick.partition());
            upsert.setInt(2, tick.partitions());
            upsert.setLong(3, tick.tick());
            upsert.setTimestamp(4, Timestamp.from(Instant.ofEpochMilli(tick.at())));
            upsert.setInt(5, tick.agePerTick());
            upsert.setInt(6, tick.hungerPerTick());
            upsert.setInt(7, tick.maxHunger());
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forgets a partition's clock row (one a test made up). */
    public static void forgetClock(int partition) {
        try (Connection db = connect(); PreparedStatement delete = db.prepareStatement(
                "DELETE FROM partition_clocks WHERE partition = ?")) {
            delete.setInt(1, partition);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The partition's tick PostgreSQL holds, 0 before its first. */
    public static long storedTick(int partition) {
        create();
        try (Connection db = connect(); PreparedStatement select = db.prepareStatement(
                "SELECT tick FROM partition_clocks WHERE partition = ?")) {
            select.setInt(1, partition);
            try (ResultSet r = select.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many pets the read model holds that are alive (or dead). */
    public static long count(boolean alive) {
        create();
        try (Connection db = connect(); PreparedStatement count = db.prepareStatement(
                "SELECT count(*) FROM pets_now WHERE alive = ?")) {
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
     * Locks the whole pets table until the returned lock is closed: every read of it (and of the read model over it)
     * waits meanwhile, as a slow PostgreSQL makes it wait.
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

    /** The first column of what PostgreSQL answers to {@code select}, in a session with these settings first. */
    public static List<String> query(List<String> settings, String select) {
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            for (String setting : settings) {
                sql.execute(setting);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet r = sql.executeQuery(select)) {
                while (r.next()) {
                    rows.add(r.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(), LocalStackSettings.USER,
                LocalStackSettings.PASSWORD);
    }
}
