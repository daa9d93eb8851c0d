package dev.livepet.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A local world kept from before pets' events and partition clocks (docs/architecture.md) holds a state per pet per
 * tick on pet-state and snapshots the simulator no longer reads: it cannot be carried on, only started afresh.
 * Such a world has the {@code pets} table without {@code partition_clocks} (a new world gets both at once).
 */
final class WorldMadeBefore {
    private WorldMadeBefore() {
    }

    /** Why this stack's world cannot be started by today's services, if it cannot. */
    static Optional<String> eventsContract(LocalStack stack) {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT to_regclass('public.pets') IS NOT NULL AND to_regclass('public.partition_clocks') IS NULL")) {
            r.next();
            return r.getBoolean(1) ? Optional.of("the world in " + stack.settings().dataDir().getParent()
                    + " was made before pets' events and partition clocks (every tick a full state on pet-state):"
                    + " today's services cannot carry it on. Start a new world: ./livepet down, then delete that"
                    + " folder (or pass --data NEW_FOLDER)") : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the local world's tables: " + e.getMessage(), e);
        }
    }
}
