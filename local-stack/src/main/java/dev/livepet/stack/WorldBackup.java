package dev.livepet.stack;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A logical backup of the world's database, taken while it runs, as pg_dump takes one: in one read-only transaction
 * at REPEATABLE READ, so every table is as it was at one moment (the transaction's snapshot) whatever the services
 * write meanwhile; the schema from the catalog ({@link SchemaScript}), each table's rows by COPY in text format, all
 * into a {@link BackupFile}. The file appears under its name only once it is complete and on the disk.
 *
 * <p>Why not pg_dump: the embedded PostgreSQL (zonky's binaries) ships only initdb, pg_ctl and postgres, and a
 * pg_dump older than the server refuses to dump it (Debian 12's is 15, the server 18).
 */
record WorldBackup(String jdbcUrl, String user, String password, PrintStream out) {

    /** What was written: the tables and rows, the file's size, how long it took. */
    record Written(BackupFile.Manifest manifest, long bytes, double seconds) {
    }

    Written write(Path file) throws IOException, SQLException {
        long t0 = System.nanoTime();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        BackupFile.Manifest manifest;
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            db.setAutoCommit(false);
            db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            db.setReadOnly(true);
            try (FileOutputStream file0 = new FileOutputStream(partial.toFile());
                 ZipOutputStream zip = new ZipOutputStream(file0)) {
                zip.setLevel(Deflater.BEST_SPEED); // text rows shrink well even so; the disk is not the bottleneck
                manifest = write(db, zip);
                zip.finish();
                file0.getFD().sync();
            } finally {
                db.rollback();
            }
        } catch (IOException | SQLException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Written(manifest, Files.size(file), (System.nanoTime() - t0) / 1e9);
    }

    private BackupFile.Manifest write(Connection db, ZipOutputStream zip) throws IOException, SQLException {
        String postgres;
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT version()")) {
            r.next(); // the transaction's snapshot is taken here: everything below reads this moment
            postgres = r.getString(1);
        }
        String madeAt = Instant.now().toString();
        SchemaScript schema = SchemaScript.read(db);
        if (schema.tables().isEmpty()) {
            throw new BackupRefused("the database at " + jdbcUrl + " has no tables: the services make them when they"
                    + " first start; nothing was written");
        }
        try (Statement s = db.createStatement()) {
            // as pg_dump does: no table can be dropped or altered under the backup (writes go on)
            s.execute("LOCK TABLE " + String.join(", ", schema.tables().stream().map(SchemaScript.Table::sql).toList())
                    + " IN ACCESS SHARE MODE");
        }
        BackupFile.writeStatements(zip, BackupFile.TABLES, schema.create());
        BackupFile.writeStatements(zip, BackupFile.AFTER_ROWS, schema.afterRows());
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        List<BackupFile.TableRows> tables = new ArrayList<>();
        for (SchemaScript.Table table : schema.tables()) {
            Progress progress = new Progress(out, "rows of " + table.name(), "rows", estimatedRows(db, table));
            zip.putNextEntry(new ZipEntry(BackupFile.rowsEntry(table.name())));
            long rows = copy.copyOut("COPY " + table.copyColumns() + " TO STDOUT", CopiedRows.counting(zip, progress));
            zip.closeEntry();
            progress.finish("backed up");
            tables.add(new BackupFile.TableRows(table, rows));
        }
        BackupFile.Manifest manifest = new BackupFile.Manifest(madeAt, postgres, List.copyOf(tables));
        BackupFile.writeManifest(zip, manifest);
        return manifest;
    }

    private static long estimatedRows(Connection db, SchemaScript.Table table) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = ?::regclass")) {
            q.setString(1, table.sql());
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }
}
