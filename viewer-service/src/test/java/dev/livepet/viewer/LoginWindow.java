package dev.livepet.viewer;

import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.limits.rules.RateWindow;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed window login attempts are counted in (livepet.viewer.accounts.login-window), as a test sees it: a test
 * that counts attempts starts well inside one, and adds attempts to a count as another viewer instance would; the
 * same for the other shared limits, given their window's length.
 */
public final class LoginWindow {
    private LoginWindow() {
    }

    public static RateWindow window() {
        Duration length = ConfigProvider.getConfig().getValue("livepet.viewer.accounts.login-window", Duration.class);
        return new RateWindow(1, length);
    }

    /** Waits, if need be, until at least {@code room} is left of the current window, so that no count restarts. */
    public static void waitForRoom(Duration room) throws InterruptedException {
        waitForRoom(room, window());
    }

    /** The same for a window of {@code length}. */
    public static void waitForRoom(Duration room, Duration length) throws InterruptedException {
        waitForRoom(room, new RateWindow(1, length));
    }

    private static void waitForRoom(Duration room, RateWindow window) throws InterruptedException {
        while (window.windowAt(Instant.now()) != window.windowAt(Instant.now().plus(room))) {
            Thread.sleep(200);
        }
    }

    /** The keys counted under {@code action} in the current window. */
    public static List<String> keys(String action) throws SQLException {
        return keys(action, 0);
    }

    /** The keys counted under {@code action} in the window {@code offset} from the current one. */
    public static List<String> keys(String action, int offset) throws SQLException {
        return keys(action, offset, window());
    }

    /** The keys counted under {@code action} in the current window of {@code length} (the account and adoption limits'). */
    public static List<String> keys(String action, Duration length) throws SQLException {
        return keys(action, 0, new RateWindow(1, length));
    }

    private static List<String> keys(String action, int offset, RateWindow window) throws SQLException {
        try (Connection db = connect(); PreparedStatement q = db.prepareStatement(
                "SELECT player_id FROM player_rate_windows WHERE action = ? AND window_start = ?")) {
            q.setString(1, action);
            q.setLong(2, window.windowAt(Instant.now()) + offset);
            List<String> keys = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    keys.add(r.getString(1));
                }
            }
            return keys;
        }
    }

    /** Forgets the count of {@code key}, as the end of its window would. */
    public static void forget(String key, String action) throws SQLException {
        try (Connection db = connect(); PreparedStatement delete = db.prepareStatement(
                "DELETE FROM player_rate_windows WHERE player_id = ? AND action = ?")) {
            delete.setString(1, key);
            delete.setString(2, action);
            delete.executeUpdate();
        }
    }

    /** {@code attempts} more in the current window under {@code key}, written as another instance's RateWindows writes them. */
    public static void attemptsElsewhere(String key, String action, int attempts) throws SQLException {
        attemptsElsewhere(key, action, attempts, 0);
    }

    /** The same in the window {@code offset} from the current one (-1: the one before). */
    public static void attemptsElsewhere(String key, String action, int attempts, int offset) throws SQLException {
        attemptsElsewhere(key, action, attempts, offset, window());
    }

    /** {@code attempts} more in the current window of {@code length} (the account and adoption limits'). */
    public static void attemptsElsewhere(String key, String action, int attempts, Duration length) throws SQLException {
        attemptsElsewhere(key, action, attempts, 0, new RateWindow(1, length));
    }

    private static void attemptsElsewhere(String key, String action, int attempts, int offset, RateWindow window)
            throws SQLException {
        try (Connection db = connect();
             PreparedStatement upsert = db.prepareStatement("""
                     INSERT INTO player_rate_windows AS w (player_id, action, window_start, used) VALUES (?, ?, ?, ?)
                     ON CONFLICT (player_id, action) DO UPDATE SET
                         used = CASE WHEN w.window_start < EXCLUDED.window_start THEN EXCLUDED.used
                                     ELSE w.used + EXCLUDED.used END,
                         window_start = GREATEST(w.window_start, EXCLUDED.window_start)
                     """)) {
            upsert.setString(1, key);
            upsert.setString(2, action);
            upsert.setLong(3, window.windowAt(Instant.now()) + offset);
            upsert.setInt(4, attempts);
            upsert.executeUpdate();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(), LocalStackSettings.USER,
                LocalStackSettings.PASSWORD);
    }
}
