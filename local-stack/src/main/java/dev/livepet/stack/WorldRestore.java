package dev.livepet.stack;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Loads a {@link BackupFile} into an empty database, in one transaction: the tables, each table's rows by COPY, then
 * identity positions, keys, indexes and views; each table's rows counted against the backup's manifest before the
 * commit. A restore that fails leaves the database as empty as it found it.
 */
record WorldRestore(String jdbcUrl, String user, String password, PrintStream out) {

    /** What was restored and how long it took. */
    record Restored(BackupFile.Manifest manifest, double seconds) {
    }

    Restored load(BackupFile.Opened backup) throws IOException, SQLException {
        long t0 = System.nanoTime();
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            refuseUnlessEmpty(db);
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                for (String statement : backup.statements(BackupFile.TABLES)) {
                    s.execute(statement);
                }
                CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
                for (BackupFile.TableRows table : backup.manifest.tables()) {
                    Progress progress = new Progress(out, "rows of " + table.table().name(), "rows", table.rows());
                    long rows;
                    try (InputStream in = CopiedRows.counting(backup.rows(table.table().name()), progress)) {
                        rows = copy.copyIn("COPY " + table.table().copyColumns() + " FROM STDIN", in);
                    }
                    if (rows != table.rows()) {
                        throw new IllegalStateException("the backup holds " + rows + " rows of " + table.table().name()
                                + " but its manifest says " + table.rows() + ": it is damaged; nothing was restored");
                    }
                    progress.finish("restored");
                }
                long t1 = System.nanoTime();
                for (String statement : backup.statements(BackupFile.AFTER_ROWS)) {
                    s.execute(statement);
                }
                say("keys, indexes, identity positions and views made in %.1f s", (System.nanoTime() - t1) / 1e9);
                db.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                db.rollback();
                throw e;
            }
            db.setAutoCommit(true);
            try (Statement s = db.createStatement()) {
                s.execute("ANALYZE"); // the planner's statistics are not in a backup; the services' first queries need them
            }
        }
        return new Restored(backup.manifest, (System.nanoTime() - t0) / 1e9);
    }

    private void refuseUnlessEmpty(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT count(*), string_agg(relname, ', ')"
                + " FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v')")) {
            r.next();
            if (r.getLong(1) > 0) {
                throw new BackupRefused("the database at " + jdbcUrl + " is not empty (it has " + r.getString(2) + "):"
                        + " a backup is restored into a new one; nothing was changed");
            }
        }
    }

    private void say(String format, Object... args) {
        out.printf("LivePet ▸   " + format + "%n", args);
        out.flush();
    }
}
