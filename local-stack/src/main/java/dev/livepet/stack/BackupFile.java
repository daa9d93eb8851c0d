package dev.livepet.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The backup's file: a zip anyone can open ({@code unzip -l}). {@code schema/tables.sql} and
 * {@code schema/after-rows.sql} make the schema (statements each ended by a line with a lone ';', so psql reads them
 * too), {@code rows/<table>.copy} hold each table's rows as PostgreSQL's COPY text, and
 * {@code livepet-backup.properties} says what is in it: when it was made, from which PostgreSQL, each table's columns
 * and row count.
 */
final class BackupFile {
    static final int FORMAT = 1;
    static final String MANIFEST = "livepet-backup.properties";
    static final String TABLES = "schema/tables.sql";
    static final String AFTER_ROWS = "schema/after-rows.sql";
    private static final String END = "\n;\n";

    private BackupFile() {
    }

    static String rowsEntry(String table) {
        return "rows/" + table + ".copy";
    }

    static void writeStatements(ZipOutputStream zip, String entry, List<String> statements) throws IOException {
        zip.putNextEntry(new ZipEntry(entry));
        for (String statement : statements) {
            zip.write((statement + END + "\n").getBytes(StandardCharsets.UTF_8));
        }
        zip.closeEntry();
    }

    static void writeManifest(ZipOutputStream zip, Manifest manifest) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", String.valueOf(FORMAT));
        p.setProperty("made-at", manifest.madeAt());
        p.setProperty("postgres", manifest.postgres());
        p.setProperty("tables", String.valueOf(manifest.tables().size()));
        for (int i = 0; i < manifest.tables().size(); i++) {
            TableRows t = manifest.tables().get(i);
            p.setProperty("table." + i + ".name", t.table().name());
            p.setProperty("table." + i + ".sql", t.table().sql());
            p.setProperty("table." + i + ".rows", String.valueOf(t.rows()));
            for (int c = 0; c < t.table().copiedColumns().size(); c++) {
                p.setProperty("table." + i + ".column." + c, t.table().copiedColumns().get(c));
            }
        }
        StringWriter text = new StringWriter();
        p.store(text, "a LivePet backup: ./livepet restore --from FILE");
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(text.toString().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    /** What a backup holds: when it was made, from which PostgreSQL, each table with its rows. */
    record Manifest(String madeAt, String postgres, List<TableRows> tables) {
        long rows() {
            return tables.stream().mapToLong(TableRows::rows).sum();
        }
    }

    record TableRows(SchemaScript.Table table, long rows) {
    }

    /** A backup opened to be restored: refused with a sentence when it is not one this code wrote. */
    static final class Opened implements AutoCloseable {
        private final ZipFile zip;
        final Manifest manifest;

        private Opened(ZipFile zip, Manifest manifest) {
            this.zip = zip;
            this.manifest = manifest;
        }

        static Opened open(Path file) {
            ZipFile zip;
            try {
                zip = new ZipFile(file.toFile());
            } catch (IOException e) {
                throw new BackupRefused(file + " is not a LivePet backup (" + e.getMessage() + "): nothing was changed");
            }
            try {
                ZipEntry entry = zip.getEntry(MANIFEST);
                if (entry == null || zip.getEntry(TABLES) == null || zip.getEntry(AFTER_ROWS) == null) {
                    throw new BackupRefused(file + " is not a LivePet backup (it has no " + MANIFEST + "): nothing was changed");
                }
                Properties p = new Properties();
                try (InputStream in = zip.getInputStream(entry)) {
                    p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
                if (!String.valueOf(FORMAT).equals(p.getProperty("format"))) {
                    throw new BackupRefused(file + " is a backup of format " + p.getProperty("format") + "; this LivePet"
                            + " reads format " + FORMAT + ": nothing was changed");
                }
                List<TableRows> tables = new ArrayList<>();
                int n = Integer.parseInt(p.getProperty("tables"));
                for (int i = 0; i < n; i++) {
                    List<String> columns = new ArrayList<>();
                    for (int c = 0; p.containsKey("table." + i + ".column." + c); c++) {
                        columns.add(p.getProperty("table." + i + ".column." + c));
                    }
                    String name = p.getProperty("table." + i + ".name");
                    if (zip.getEntry(rowsEntry(name)) == null) {
                        throw new BackupRefused(file + " lacks the rows of " + name + ": it is incomplete; nothing was changed");
                    }
                    tables.add(new TableRows(new SchemaScript.Table(name, p.getProperty("table." + i + ".sql"),
                            List.copyOf(columns)), Long.parseLong(p.getProperty("table." + i + ".rows"))));
                }
                return new Opened(zip, new Manifest(p.getProperty("made-at"), p.getProperty("postgres"), List.copyOf(tables)));
            } catch (IOException | RuntimeException e) {
                try {
                    zip.close();
                } catch (IOException ignored) {
                    // the refusal says what matters
                }
                if (e instanceof BackupRefused refused) {
                    throw refused;
                }
                throw new BackupRefused(file + " is not a readable LivePet backup (" + e + "): nothing was changed");
            }
        }

        List<String> statements(String entry) throws IOException {
            try (InputStream in = zip.getInputStream(zip.getEntry(entry))) {
                String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return Arrays.stream(all.split(END)).map(String::strip).filter(s -> !s.isEmpty()).toList();
            }
        }

        InputStream rows(String table) throws IOException {
            return zip.getInputStream(zip.getEntry(rowsEntry(table)));
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }
}
