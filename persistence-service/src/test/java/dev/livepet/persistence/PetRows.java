package dev.livepet.persistence;

import dev.livepet.stack.LocalStackTestResource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The service's tables and the view pets_now read with plain JDBC, as the viewer would see them. */
final class PetRows {
    /** A row of pets: a pet's last event; times in epoch milliseconds. */
    record Row(long id, String owner, String name, String species, int age, int hunger, boolean alive, long version,
               String cause, long changedAt, long bornAt, long tick, Integer partition) {
    }

    /** A row of pets_now: a pet as it is at its partition's current tick. */
    record Now(long id, int age, int hunger, boolean alive, long version, long tick) {
    }

    /** A row of partition_clocks; the time in epoch milliseconds. */
    record Clock(int partition, int partitions, long tick, long tickedAt, int agePerTick, int hungerPerTick,
                 int maxHunger) {
    }

    private PetRows() {
    }

    static Map<Long, Row> read(Collection<Long> ids) {
        return read(ids, "livepet");
    }

    /** Reads as another role, e.g. the superuser while the service's own role is locked out. */
    static Map<Long, Row> read(Collection<Long> ids, String user) {
        try (Connection c = connect(user);
             PreparedStatement s = c.prepareStatement("SELECT id, owner, name, species, age, hunger, alive, version, "
                     + "cause, changed_at, born_at, tick, partition FROM pets WHERE id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            Map<Long, Row> rows = new HashMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getLong(1), new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getInt(5), r.getInt(6), r.getBoolean(7), r.getLong(8), r.getString(9),
                            millis(r.getObject(10, OffsetDateTime.class)), millis(r.getObject(11, OffsetDateTime.class)),
                            r.getLong(12), r.getObject(13, Integer.class)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read pets: " + e.getMessage(), e);
        }
    }

    /** The pets as the viewer reads them: through the view pets_now. */
    static Map<Long, Now> now(Collection<Long> ids) {
        try (Connection c = connect("livepet");
             PreparedStatement s = c.prepareStatement(
                     "SELECT id, age, hunger, alive, version, tick FROM pets_now WHERE id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            Map<Long, Now> rows = new HashMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getLong(1), new Now(r.getLong(1), r.getInt(2), r.getInt(3), r.getBoolean(4),
                            r.getLong(5), r.getLong(6)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read pets_now: " + e.getMessage(), e);
        }
    }

    /** A partition's clock, if it has ticked. */
    static Optional<Clock> clock(int partition) {
        return clock(partition, "livepet");
    }

    static Optional<Clock> clock(int partition, String user) {
        try (Connection c = connect(user);
             PreparedStatement s = c.prepareStatement("SELECT partition, partitions, tick, ticked_at, age_per_tick, "
                     + "hunger_per_tick, max_hunger FROM partition_clocks WHERE partition = ?")) {
            s.setInt(1, partition);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Clock(r.getInt(1), r.getInt(2), r.getLong(3),
                        millis(r.getObject(4, OffsetDateTime.class)), r.getInt(5), r.getInt(6), r.getInt(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read partition_clocks: " + e.getMessage(), e);
        }
    }

    /** The indexes of pets by name, with their definitions. */
    static Map<String, String> indexes() {
        try (Connection c = connect("livepet"); var s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'pets'")) {
            Map<String, String> indexes = new HashMap<>();
            while (r.next()) {
                indexes.put(r.getString(1), r.getString(2));
            }
            return indexes;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the indexes: " + e.getMessage(), e);
        }
    }

    static void execute(String user, String sql) {
        try (Connection c = connect(user); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql + ": " + e.getMessage(), e);
        }
    }

    static Connection connect(String user) throws SQLException {
        // the test stack's PostgreSQL trusts local connections; livepet's password is livepet
        return DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(), user, "livepet");
    }

    private static long millis(OffsetDateTime time) {
        return time.toInstant().toEpochMilli();
    }
}
