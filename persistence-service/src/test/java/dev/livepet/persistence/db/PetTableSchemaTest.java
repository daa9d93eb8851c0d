package dev.livepet.persistence.db;

import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's own upsert statement against the migrated schema, through JDBC in one transaction, so that
 * PostgreSQL's per-transaction counters say exactly what that statement did.
 */
@QuarkusTest // Flyway migrates the schema at start
@WithTestResource(LocalStackTestResource.class)
class PetTableSchemaTest {

    @Test
    void aMealUpdatesThePetsRowHeapOnlyAndADeathSetsDiedAtOnce() throws SQLException {
        long id = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        try (Connection c = DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(), "livepet", "livepet")) {
            upsert(c, id, 1, "adopted", true, 1_000);
            c.setAutoCommit(false);

            assertThat(upsert(c, id, 2, "fed", true, 6_000)).isEqualTo(1);
            assertThat(hotUpdatesInThisTransaction(c))
                    .as("a meal changes no indexed column, so its update writes no index entry (HOT)").isEqualTo(1);
            assertThat(diedAt(c, id)).isNull();
            assertThat(tickAndPartition(c, id)).containsExactly(2L, 3L);

            assertThat(upsert(c, id, 3, "died", false, 11_000)).isEqualTo(1);
            assertThat(diedAt(c, id)).isEqualTo(time(11_000));
            assertThat(upsert(c, id, 2, "fed", true, 6_000)).as("an older version changes nothing").isZero();
            assertThat(diedAt(c, id)).isEqualTo(time(11_000));
            assertThat(tickAndPartition(c, id)).containsExactly(3L, 3L);
            c.commit();
        }
    }

    @Test
    void theViewersQuestionsThroughPetsNowStillUseThePetsIndexes() throws SQLException {
        try (Connection c = DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(), "livepet", "livepet");
             var s = c.createStatement()) {
            // whatever the test tables' sizes make cheapest: can the plan take these rows, in this order, from an index?
            s.execute("SET enable_seqscan = off");
            s.execute("SET enable_bitmapscan = off");
            s.execute("SET enable_sort = off");
            assertThat(plan(s, "SELECT * FROM pets_now WHERE id = 42")).contains("pets_pkey");
            assertThat(plan(s, "SELECT * FROM pets_now WHERE owner = 'player-1' ORDER BY born_at DESC LIMIT 20"))
                    .contains("Index Scan using pets_owner_born").doesNotContain("Sort");
            assertThat(plan(s, "SELECT count(*) FROM pets_now WHERE alive")).contains("pets_alive_born");
        }
    }

    private static String plan(Statement s, String query) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet r = s.executeQuery("EXPLAIN " + query)) {
            while (r.next()) {
                plan.append(r.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    /** The service's upsert of one pet whose event at version v holds at tick v, in partition 3. */
    private static int upsert(Connection c, long id, long version, String cause, boolean alive, long at)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(PetTable.UPSERT.replaceAll("\\$\\d+", "?"))) {
            s.setArray(1, c.createArrayOf("bigint", new Object[] {id}));
            s.setArray(2, c.createArrayOf("text", new Object[] {"player-1"}));
            s.setArray(3, c.createArrayOf("text", new Object[] {"Biscuit"}));
            s.setArray(4, c.createArrayOf("text", new Object[] {"fox"}));
            s.setArray(5, c.createArrayOf("int4", new Object[] {(int) version}));
            s.setArray(6, c.createArrayOf("int4", new Object[] {250 + (int) version}));
            s.setArray(7, c.createArrayOf("bool", new Object[] {alive}));
            s.setArray(8, c.createArrayOf("bigint", new Object[] {version}));
            s.setArray(9, c.createArrayOf("text", new Object[] {cause}));
            s.setArray(10, c.createArrayOf("timestamptz", new Object[] {time(at)}));
            s.setArray(11, c.createArrayOf("timestamptz", new Object[] {time(1_000)}));
            s.setArray(12, c.createArrayOf("bigint", new Object[] {version}));
            s.setArray(13, c.createArrayOf("int4", new Object[] {3}));
            return s.executeUpdate();
        }
    }

    private static List<Long> tickAndPartition(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT tick, partition FROM pets WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return List.of(r.getLong(1), r.getLong(2));
            }
        }
    }

    private static long hotUpdatesInThisTransaction(Connection c) throws SQLException {
        try (var s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_stat_get_xact_tuples_hot_updated('pets'::regclass)")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static OffsetDateTime diedAt(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT died_at FROM pets WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                OffsetDateTime died = r.getObject(1, OffsetDateTime.class);
                return died == null ? null : died.withOffsetSameInstant(ZoneOffset.UTC);
            }
        }
    }

    private static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
