package dev.livepet.system;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two registered players in two browser contexts, on two viewer instances of one world (one session key, so a
 * login on one is a login on the other): each sees the other's pet while its
 * owner watches it, treats go from one to the other, the giver's count is live in their tabs on both instances,
 * and a crashed instance's owners leave the lists once its lease ends.
 */
class ActivePetsAcrossViewersIT {
    private static final Path SCREENSHOTS = WorldInTheBrowserIT.SCREENSHOTS;
    private static final String[] PRESENCE = {"LIVEPET_VIEWER_PRESENCE_HEARTBEAT=1s", "LIVEPET_VIEWER_PRESENCE_LEASE=4s"};

    @Test
    void twoPlayersOnTwoViewersSeeEachOtherGiveTreatsAndACrashedViewersOwnersLeave() throws Exception {
        Path data = Files.createTempDirectory("livepet-system-treats");
        Files.createDirectories(SCREENSHOTS);
        try (RunningWorld world = new RunningWorld(data, 100, PRESENCE);
             Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                     .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(WorldInTheBrowserIT.Chromium.options())) {
            String viewerA = world.awaitUrl();
            int secondPort = LocalStackSettings.freePort();
            ServiceProcess second = secondViewer(world, data, secondPort);
            try {
                await().atMost(Duration.ofMinutes(3)).until(() -> second.isReady() || !second.isAlive());
                assertThat(second.isReady()).as("the second viewer is ready:%n%s", second.tail(40)).isTrue();
                String viewerB = "http://localhost:" + secondPort;

                BrowserContext annsBrowser = browser.newContext();
                BrowserContext bobsBrowser = browser.newContext();
                Page ann = annsBrowser.newPage();
                Page bob = bobsBrowser.newPage();
                ann.setDefaultTimeout(30_000);
                bob.setDefaultTimeout(30_000);
                PageDiary annsTab = PageDiary.of("Ann (viewer A)", ann);
                PageDiary bobsTab = PageDiary.of("Bob (viewer B)", bob);
                try {
                    // Ann registers on viewer A, Bob on viewer B (registering logs them in); each goes to their new pet's page
                    BrowserPlayer.register(ann, viewerA, "ann-" + System.nanoTime() + "@example.com",
                            "treats for everyone, Ann");
                    BrowserPlayer.register(bob, viewerB, "bob-" + System.nanoTime() + "@example.com",
                            "treats for everyone, Bob");
                    long pumpkin = BrowserPlayer.adopt(ann, viewerA, "Pumpkin", "cat");
                    long noodle = BrowserPlayer.adopt(bob, viewerB, "Noodle", "dog");
                    Locator bobsPanel = bob.getByTestId("active-pets");
                    Locator annsPanel = ann.getByTestId("active-pets");
                    await().atMost(Duration.ofSeconds(30)).until(() -> bobsPanel.textContent().contains("Pumpkin"));
                    await().atMost(Duration.ofSeconds(30)).until(() -> annsPanel.textContent().contains("Noodle"));
                    assertThat(bobsPanel.textContent()).as("not the pet of the page").doesNotContain("Noodle")
                            .contains("Give Treat (5 left)");
                    assertThat(annsPanel.textContent()).doesNotContain("Pumpkin");
                    shoot(bob, "treats-1-bob-sees-pumpkin.png");

                    // Bob's second tab is on viewer A (same player: the session cookie goes to both, one key reads it)
                    Page bobsOtherTab = bobsBrowser.newPage();
                    bobsOtherTab.setDefaultTimeout(30_000);
                    bobsOtherTab.navigate(viewerA + "/pets/active");
                    Locator otherPanel = bobsOtherTab.getByTestId("active-pets");
                    await().atMost(Duration.ofSeconds(30)).until(() -> otherPanel.textContent().contains("Pumpkin"));
                    assertThat(otherPanel.textContent()).contains("Give Treat (5 left)", "Noodle");

                    // a treat: Pumpkin gets less hungry (the simulator applied it), Bob's count drops in both tabs
                    Locator hunger = ann.getByTestId("pet-hunger");
                    int hungerBefore = Integer.parseInt(hunger.getAttribute("data-hunger"));
                    treat(bob, pumpkin);
                    await().atMost(Duration.ofSeconds(30)).until(() -> bobsPanel.textContent().contains("Give Treat (4 left)"));
                    await().atMost(Duration.ofSeconds(30)).until(() -> otherPanel.textContent().contains("Give Treat (4 left)"));
                    // ticks only add hunger: a drop is the treat
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            Integer.parseInt(hunger.getAttribute("data-hunger")) < hungerBefore);
                    assertThat(bob.getByTestId("treat-note").textContent()).contains("A treat is on its way to Pumpkin.");
                    shoot(ann, "treats-2-pumpkin-got-a-treat.png");

                    for (int left = 3; left >= 0; left--) {
                        treat(bob, pumpkin);
                        String shown = "Give Treat (" + left + " left)";
                        await().atMost(Duration.ofSeconds(30)).until(() -> bobsPanel.textContent().contains(shown));
                    }
                    assertThat(bob.locator("[data-testid=active-pets] [data-testid=give-treat]").isDisabled()).isTrue();
                    await().atMost(Duration.ofSeconds(30)).until(() -> otherPanel.textContent().contains("Give Treat (0 left)"));
                    shoot(bob, "treats-3-bob-has-none-left.png");

                    // Ann leaves: nobody is around for Bob any more
                    ann.navigate(viewerA + "/pets/active");
                    await().atMost(Duration.ofSeconds(30)).until(() -> bobsPanel.textContent().contains("Nobody's around"));
                    assertThat(ann.getByTestId("active-pets").textContent()).contains("Noodle");
                    shoot(bob, "treats-4-nobody-around.png");

                    // viewer B crashes with Bob on Noodle's page: Noodle leaves Ann's list once B's lease ended
                    second.kill();
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            ann.getByTestId("active-pets").textContent().contains("Nobody's around"));
                    shoot(ann, "treats-5-crashed-viewer-gone.png");
                    assertThat(noodle).isPositive();
                } catch (Throwable failure) {
                    throw new AssertionError(whatEachSaw(failure, world, second, annsTab, bobsTab), failure);
                }
            } finally {
                second.stop();
            }
            assertThat(world.stop()).as("exit code after Ctrl-C").isIn(0, 130, 143);
        }
    }

    /** The failure with what each tab went through and the last lines of the services it depends on. */
    private static String whatEachSaw(Throwable failure, RunningWorld world, ServiceProcess second, PageDiary... tabs) {
        String message = String.valueOf(failure.getMessage()).strip();
        StringBuilder out = new StringBuilder(message.length() > 2_000 ? message.substring(0, 2_000) + "…" : message)
                .append("\n\n");
        for (PageDiary tab : tabs) {
            out.append(tab.read()).append('\n');
        }
        out.append("— viewer B (").append(second.log()).append(") —\n").append(second.tail(60)).append("\n\n");
        for (String service : new String[]{"simulator-service", "viewer-service"}) {
            out.append("— ").append(service).append(" of the world —\n").append(world.tail(service, 40)).append("\n\n");
        }
        return out.toString();
    }

    private static ServiceProcess secondViewer(RunningWorld world, Path data, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + world.kafkaPort);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", world.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + world.postgresPort + "/" + LocalStackSettings.DATABASE);
        env.put("QUARKUS_DATASOURCE_USERNAME", LocalStackSettings.USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", LocalStackSettings.PASSWORD);
        // as ./livepet up starts its viewer: the world's session key (kept with its data) and the local mailbox
        env.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", sessionKey(data));
        env.put("QUARKUS_MAILER_MOCK", "true");
        env.put("LIVEPET_VIEWER_ACCOUNTS_MAILBOX", "true");
        env.put("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL", "http://localhost:" + port);
        // the adoption, the live socket and the first state it waits for, in its log (shown if the test fails)
        env.put("QUARKUS_LOG_CATEGORY__DEV_LIVEPET_VIEWER_LIVE__LEVEL", "DEBUG");
        env.put("QUARKUS_LOG_CATEGORY__DEV_LIVEPET_VIEWER_SERVICE__LEVEL", "DEBUG");
        for (String setting : PRESENCE) {
            env.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
        }
        return ServiceProcess.start("viewer-service", world.home, port, env,
                data.resolve("second-viewer-logs"), data.resolve("second-viewer-pids"));
    }

    private static String sessionKey(Path data) {
        try {
            return Files.readString(data.resolve("viewer-session.key")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the world keeps its viewers' session key in its data folder", e);
        }
    }

    private static void treat(Page giver, long petId) {
        giver.locator("[data-testid=active-pets] li[data-pet-id='" + petId + "'] [data-testid=give-treat]").click();
    }

    private static void shoot(Page page, String file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(file)).setFullPage(true));
    }
}
