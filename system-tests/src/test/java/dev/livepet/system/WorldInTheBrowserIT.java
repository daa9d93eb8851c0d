package dev.livepet.system;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.LoadState;
import dev.livepet.stack.LocalStackSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A player registers (which logs them in), adopts, watches and feeds a pet in a real Chromium against the world that ./livepet up starts. */
class WorldInTheBrowserIT {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @Test
    void adoptWatchFeedAndFindThePetInPostgres() throws Exception {
        Path data = Files.createTempDirectory("livepet-system-world");
        Files.createDirectories(SCREENSHOTS);
        try (RunningWorld world = new RunningWorld(data, 500);
             Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                     .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(Chromium.options())) {
            String url = world.awaitUrl();
            Page page = browser.newPage();
            page.setDefaultTimeout(30_000);

            // a visitor is sent to log in; they register and open the link from the local world's mailbox, which
            // confirms the address and logs them in
            page.navigate(url);
            page.waitForURL(Pattern.compile(".*/login$"));
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("0-login.png")).setFullPage(true));
            String email = "player-" + System.nanoTime() + "@example.com";
            String password = "a password of twelve or more";
            BrowserPlayer.register(page, url, email, password);
            assertThat(page.getByTestId("flash").textContent()).contains("Your email address is confirmed.");
            page.navigate(url);
            page.waitForURL(Pattern.compile(".*/pets$"));
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("1-home.png")).setFullPage(true));
            page.navigate(url + "/pets/new");
            String name = "Biscuit the Brave";
            page.fill("input[name=name]", name);
            page.check("input[name=species][value=fox]", new Page.CheckOptions().setForce(true));
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("2-adopt.png")).setFullPage(true));
            page.locator("form[action='/pets'] [type=submit]").click();
            page.waitForURL(Pattern.compile(".*/pets/\\d+$"));
            long petId = Long.parseLong(page.url().replaceAll(".*/pets/", ""));
            assertThat(page.content()).contains(name);

            // the pet ages without a reload
            Locator age = page.getByTestId("pet-age");
            age.waitFor();
            int firstAge = number(age);
            await().atMost(Duration.ofSeconds(30)).until(() -> number(age) > firstAge);
            int agedOnce = number(age);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("3-pet-aged.png")).setFullPage(true));

            // right after a tick, feed: the hearts rise while the age has not moved, i.e. before the next tick
            await().atMost(Duration.ofSeconds(30)).until(() -> number(age) > agedOnce);
            int ageAtFeed = number(age);
            Locator hearts = page.getByTestId("pet-hearts");
            int heartsBefore = Integer.parseInt(hearts.getAttribute("data-hearts"));
            long versionBefore = shownVersion(page.getByTestId("pet-version"));
            page.getByTestId("feed-button").click();
            await().atMost(Duration.ofSeconds(30)).until(() -> Integer.parseInt(hearts.getAttribute("data-hearts")) > heartsBefore);
            assertThat(number(age)).as("age when the fed state arrived").isEqualTo(ageAtFeed);
            assertThat(shownVersion(page.getByTestId("pet-version"))).isEqualTo(versionBefore + 1);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("4-pet-fed.png")).setFullPage(true));

            // PostgreSQL catches up with what the browser shows: the pet's last event, and its partition's clock at
            // the tick the page shows (pets_now, the viewer's read model, derives the pet at that clock)
            try (Connection db = DriverManager.getConnection(world.jdbcUrl(), LocalStackSettings.USER, LocalStackSettings.PASSWORD)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    long shown = shownVersion(page.getByTestId("pet-version"));
                    assertThat(storedVersion(db, petId)).isEqualTo(shown);
                });
                long tickShown = shownTick(page.getByTestId("pet-version"));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(tickNow(db, petId)).isGreaterThanOrEqualTo(tickShown));
                try (PreparedStatement q = db.prepareStatement("SELECT name, species, owner FROM pets WHERE id = ?")) {
                    q.setLong(1, petId);
                    try (ResultSet r = q.executeQuery()) {
                        assertThat(r.next()).isTrue();
                        assertThat(r.getString("name")).isEqualTo(name);
                        assertThat(r.getString("species")).isEqualTo("fox");
                        // the owner is the player's account id
                        assertThat(r.getString("owner")).matches("\\d+");
                    }
                }
            }

            // My Pets, where the front door leads a player, lists the new pet
            page.navigate(url);
            page.waitForURL(Pattern.compile(".*/pets$"));
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.content()).contains(name);

            assertThat(world.stop()).as("exit code after Ctrl-C").isIn(0, 130, 143);
            assertThat(world.console()).contains("LivePet ▸ stopped");
            assertThat(data.resolve("data/postgres/postmaster.pid")).as("PostgreSQL stopped with the world").doesNotExist();
            assertThat(Files.list(data.resolve("pids")).toList()).as("no service left running").isEmpty();
        }
    }

    private static long storedVersion(Connection db, long petId) throws Exception {
        try (PreparedStatement q = db.prepareStatement("SELECT version FROM pets WHERE id = ?")) {
            q.setLong(1, petId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    /** The pet's tick in PostgreSQL's read model: its partition's clock, or its last event's tick. */
    private static long tickNow(Connection db, long petId) throws Exception {
        try (PreparedStatement q = db.prepareStatement("SELECT tick FROM pets_now WHERE id = ?")) {
            q.setLong(1, petId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    private static final Pattern VERSION_TICK = Pattern.compile("version (\\d+), tick (\\d+)");

    /** The version a pet's page shows: {@code version V, tick T}. */
    static long shownVersion(Locator versionAndTick) {
        return versionAndTick(versionAndTick)[0];
    }

    /** The partition tick a pet's page shows: {@code version V, tick T}. */
    static long shownTick(Locator versionAndTick) {
        return versionAndTick(versionAndTick)[1];
    }

    private static long[] versionAndTick(Locator locator) {
        String text = locator.textContent();
        Matcher m = VERSION_TICK.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no 'version V, tick T' in '" + text + "'");
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    static int number(Locator locator) {
        Matcher m = Pattern.compile("\\d+").matcher(locator.textContent());
        if (!m.find()) {
            throw new AssertionError("no number in '" + locator.textContent() + "'");
        }
        return Integer.parseInt(m.group());
    }

    /** Debian's Chromium (LIVEPET_CHROMIUM to use another): Playwright never downloads a browser here. */
    static final class Chromium {
        static BrowserType.LaunchOptions options() {
            String path = System.getenv().getOrDefault("LIVEPET_CHROMIUM", "/usr/bin/chromium");
            return new BrowserType.LaunchOptions().setExecutablePath(Path.of(path)).setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-background-networking", "--disable-gpu",
                            "--disable-component-update", "--disable-sync", "--no-first-run"));
        }
    }
}
