package dev.livepet.stack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema of the world's database as SQL that makes it anew, read from PostgreSQL's catalog (what pg_dump does, for
 * the kinds of object the services' migrations make: tables, logged or not, with their columns, identity columns and
 * storage options; constraints; indexes; views). {@link #tables} are made before the rows are copied in,
 * {@link #afterRows} after, as pg_dump orders them: the rows load without checks and index upkeep, and the keys are
 * checked once. A schema with any other kind of object is refused with its name, rather than backed up without it.
 *
 * @param tables    each table's name with the columns that hold rows (generated columns are computed, not copied)
 * @param create    CREATE TABLE statements
 * @param afterRows identity positions, keys and checks, foreign keys, indexes, views: in that order
 */
record SchemaScript(List<Table> tables, List<String> create, List<String> afterRows) {
    /** One table: its name, and its name and the columns a COPY of its rows lists as SQL (quoted where needed). */
    record Table(String name, String sql, List<String> copiedColumns) {
        String copyColumns() {
            return sql + " (" + String.join(", ", copiedColumns) + ")";
        }
    }

    /** What this backup knows how to make again; anything else in the schema is named and refused. */
    private static final String UNKNOWN_OBJECTS = """
            SELECT 'a ' || CASE c.relkind WHEN 'm' THEN 'materialized view' WHEN 'p' THEN 'partitioned table'
                   WHEN 'f' THEN 'foreign table' WHEN 'c' THEN 'composite type' ELSE 'sequence' END || ' ' || c.relname
            FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind NOT IN ('r', 'v', 'i', 't')
              AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                       AND d.objid = c.oid AND d.deptype = 'i'))
            UNION ALL SELECT 'a function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
            UNION ALL SELECT 'a trigger ' || t.tgname || ' on ' || c.relname FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
            UNION ALL SELECT 'a rule ' || r.rulename || ' on ' || c.relname FROM pg_rewrite r
                JOIN pg_class c ON c.oid = r.ev_class WHERE c.relnamespace = 'public'::regnamespace AND r.rulename <> '_RETURN'
            UNION ALL SELECT 'a policy ' || p.polname FROM pg_policy p
                JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = 'public'::regnamespace
            UNION ALL SELECT 'a type ' || typname FROM pg_type WHERE typnamespace = 'public'::regnamespace
                AND typtype IN ('e', 'd', 'r', 'm')
            UNION ALL SELECT 'the extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
            UNION ALL SELECT 'the schema ' || nspname FROM pg_namespace WHERE nspname NOT IN ('public', 'pg_catalog',
                'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
            ORDER BY 1""";

    /** Reads the schema of {@code public} as {@code db} sees it (in the backup's snapshot). */
    static SchemaScript read(Connection db) throws SQLException {
        List<String> unknown = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(UNKNOWN_OBJECTS)) {
            while (r.next()) {
                unknown.add(r.getString(1));
            }
        }
        if (!unknown.isEmpty()) {
            throw new BackupRefused("the database has " + String.join(", ", unknown) + ", which this backup cannot make"
                    + " again (it knows tables, their keys, indexes and identity columns, and views): nothing was written");
        }
        List<Table> tables = new ArrayList<>();
        List<String> create = new ArrayList<>();
        List<String> identities = new ArrayList<>(), keys = new ArrayList<>(), foreign = new ArrayList<>(),
                indexes = new ArrayList<>(), views = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT oid, relname, quote_ident(relname), relpersistence = 'u',"
                     + " array_to_string(reloptions, ', ') FROM pg_class"
                     + " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY relname")) {
            while (r.next()) {
                long oid = r.getLong(1);
                String table = r.getString(3);
                List<String> columns = new ArrayList<>();
                List<String> copied = new ArrayList<>();
                columns(db, oid, table, columns, copied, identities);
                create.add("CREATE " + (r.getBoolean(4) ? "UNLOGGED " : "") + "TABLE " + table + " (\n    "
                        + String.join(",\n    ", columns) + "\n)" + (r.getString(5) == null ? "" : " WITH (" + r.getString(5) + ")"));
                tables.add(new Table(r.getString(2), table, List.copyOf(copied)));
                constraints(db, oid, table, keys, foreign);
                indexes(db, oid, indexes);
            }
        }
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT quote_ident(relname), pg_get_viewdef(oid), array_to_string(reloptions, ', ')"
                     + " FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'v' ORDER BY oid")) {
            while (r.next()) { // made in the order they were: a view reads only views made before it
                String definition = r.getString(2).strip();
                views.add("CREATE VIEW " + r.getString(1)
                        + (r.getString(3) == null ? "" : " WITH (" + r.getString(3) + ")") + " AS\n"
                        + (definition.endsWith(";") ? definition.substring(0, definition.length() - 1) : definition));
            }
        }
        List<String> after = new ArrayList<>(identities);
        after.addAll(keys);
        after.addAll(foreign);
        after.addAll(indexes);
        after.addAll(views);
        return new SchemaScript(List.copyOf(tables), List.copyOf(create), List.copyOf(after));
    }

    /** @param tableName as SQL (quoted where needed) */
    private static void columns(Connection db, long table, String tableName, List<String> columns, List<String> copied,
                                List<String> identities) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("""
                SELECT quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                       a.attidentity, a.attgenerated,
                       CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(co.collname) END,
                       pg_get_serial_sequence(?, a.attname), a.attname
                FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                LEFT JOIN pg_collation co ON co.oid = a.attcollation
                WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""")) {
            q.setString(1, tableName);
            q.setLong(2, table);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    String column = r.getString(1);
                    StringBuilder c = new StringBuilder(column).append(' ').append(r.getString(2));
                    if (r.getString(7) != null) {
                        c.append(" COLLATE ").append(r.getString(7));
                    }
                    String identity = r.getString(5), generated = r.getString(6), expression = r.getString(4);
                    if (!generated.isEmpty()) {
                        c.append(" GENERATED ALWAYS AS (").append(expression).append(generated.equals("v") ? ") VIRTUAL" : ") STORED");
                    } else {
                        if (!identity.isEmpty()) {
                            c.append(identity.equals("a") ? " GENERATED ALWAYS AS IDENTITY" : " GENERATED BY DEFAULT AS IDENTITY")
                                    .append(sequenceOptions(db, r.getString(8)));
                            identities.add(sequencePosition(db, r.getString(8), tableName, r.getString(9)));
                        } else if (expression != null) {
                            c.append(" DEFAULT ").append(expression);
                        }
                        copied.add(column);
                    }
                    if (r.getBoolean(3)) {
                        c.append(" NOT NULL");
                    }
                    columns.add(c.toString());
                }
            }
        }
    }

    /** The identity's sequence as it was made: start, step, bounds, cache, cycling. */
    private static String sequenceOptions(Connection db, String sequence) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT seqstart, seqincrement, seqmin, seqmax, seqcache, seqcycle"
                + " FROM pg_sequence WHERE seqrelid = ?::regclass")) {
            q.setString(1, sequence);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return String.format(" (START WITH %d INCREMENT BY %d MINVALUE %d MAXVALUE %d CACHE %d%s)", r.getLong(1),
                        r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getBoolean(6) ? " CYCLE" : "");
            }
        }
    }

    /** Where the identity's sequence stands: the restored table hands out the ids it would have, none twice. */
    private static String sequencePosition(Connection db, String sequence, String table, String column) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT last_value, is_called FROM " + sequence)) {
            r.next();
            return String.format("SELECT setval(pg_get_serial_sequence('%s', '%s'), %d, %b)", table.replace("'", "''"),
                    column.replace("'", "''"), r.getLong(1), r.getBoolean(2));
        }
    }

    private static void constraints(Connection db, long table, String tableName, List<String> keys, List<String> foreign)
            throws SQLException {
        // PostgreSQL 18 keeps NOT NULL as constraints too ('n'): the columns above say them
        try (PreparedStatement q = db.prepareStatement("SELECT quote_ident(conname), contype, pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = ? AND contype IN ('p', 'u', 'c', 'x', 'f') ORDER BY contype = 'f', conname")) {
            q.setLong(1, table);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    String sql = "ALTER TABLE " + tableName + " ADD CONSTRAINT " + r.getString(1) + " " + r.getString(3);
                    (r.getString(2).equals("f") ? foreign : keys).add(sql);
                }
            }
        }
    }

    private static void indexes(Connection db, long table, List<String> indexes) throws SQLException {
        // the indexes of keys come with their constraints
        try (PreparedStatement q = db.prepareStatement("SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i"
                + " WHERE i.indrelid = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = i.indrelid"
                + " AND c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')) ORDER BY i.indexrelid::regclass::text")) {
            q.setLong(1, table);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    indexes.add(r.getString(1));
                }
            }
        }
    }
}
