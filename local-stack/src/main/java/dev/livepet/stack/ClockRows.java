package dev.livepet.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The persistence service's {@code partition_clocks} in PostgreSQL. After a move its rows name the old partitions
 * and the old count, and the service refuses to start while they do; deleted, they are written anew from the new
 * tick records. (The {@code pets} rows need nothing: each moved event is one version up, so the service's
 * version-guarded upsert takes it, new partition and tick included.)
 *
 * @param jdbcUrl the persistence service's database
 */
record ClockRows(String jdbcUrl, String user, String password) {

    /** The partition count the rows record (0 when none, -1 when the schema has no such table yet). */
    int recordedPartitions() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            if (!hasTable(s)) {
                return -1;
            }
            try (ResultSet r = s.executeQuery("SELECT coalesce(max(partitions), 0) FROM partition_clocks")) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new MoveRefused("PostgreSQL at " + jdbcUrl + " cannot be read (" + e.getMessage() + "): nothing was"
                    + " changed; give its address and credentials, or --skip-database");
        }
    }

    /** Deletes every row; returns how many there were. */
    int forgetAll() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            return hasTable(s) ? s.executeUpdate("DELETE FROM partition_clocks") : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("the topics are moved, but PostgreSQL's partition_clocks could not be"
                    + " emptied (" + e.getMessage() + "): run DELETE FROM partition_clocks on " + jdbcUrl
                    + " before the persistence service starts", e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private static boolean hasTable(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT to_regclass('partition_clocks') IS NOT NULL")) {
            r.next();
            return r.getBoolean(1);
        }
    }
}
