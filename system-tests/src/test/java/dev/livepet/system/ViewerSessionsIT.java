package dev.livepet.system;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two viewer instances with the same session key: a player who logged in on one is logged in on the other
 * (the session is an encrypted cookie), and a form of one is accepted by the other (CSRF). A session ended on one
 * (a password change, "log out everywhere") is refused by the other at once. A browser sends a host's cookies to
 * every port of it, as it would to every instance behind one address.
 */
class ViewerSessionsIT {
    private final Path home = Path.of(System.getProperty("livepet.home", "..")).toAbsolutePath().normalize();
    private final List<ServiceProcess> services = new ArrayList<>();
    private LocalStack stack;

    @AfterEach
    void stopAll() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPlayerLoggedInOnOneViewerIsLoggedInOnTheOtherItsFormsWorkThereAndSessionsEndedOnOneEndOnTheOther()
            throws Exception {
        Files.createDirectories(WorldInTheBrowserIT.SCREENSHOTS);
        Path dir = Files.createTempDirectory("livepet-viewer-sessions");
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir.resolve("data"), 6));
        Map<String, String> env = new LinkedHashMap<>(stack.serviceEnvironment());
        env.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "one key for every viewer of this test");
        env.put("QUARKUS_MAILER_MOCK", "true");
        // a new player's link comes by mail: each viewer shows what it sent at /mailbox
        env.put("LIVEPET_VIEWER_ACCOUNTS_MAILBOX", "true");
        // an instance rereads an account's session generation only this long after: an ended session refused within
        // the test's seconds was refused because the instance heard of it (PostgreSQL NOTIFY)
        env.put("LIVEPET_VIEWER_ACCOUNTS_SESSION_CHECK_INTERVAL", "10m");
        // the persistence service owns the pets table that My Pets reads
        SimulatorOwnershipIT.awaitReady(start("persistence-service", LocalStackSettings.freePort(), env, dir));
        int portA = LocalStackSettings.freePort();
        int portB = LocalStackSettings.freePort();
        ServiceProcess a = start("viewer-service", portA, env, dir);
        ServiceProcess b = start("viewer-service", portB, env, dir);
        SimulatorOwnershipIT.awaitReady(a);
        SimulatorOwnershipIT.awaitReady(b);
        String viewerA = "http://localhost:" + portA;
        String viewerB = "http://localhost:" + portB;

        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                     .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(WorldInTheBrowserIT.Chromium.options());
             // the two instances stand in for two behind one address, here on two ports: two origins, whose
             // Content-Security-Policy (form-action 'self') would stop the form of one sent to the other
             BrowserContext context = browser.newContext(new Browser.NewContextOptions().setBypassCSP(true))) {
            Page page = context.newPage();
            page.setDefaultTimeout(30_000);
            String email = "two-viewers-" + System.nanoTime() + "@example.com";
            String password = "one session, two viewers";
            String newPassword = "a new password, changed on viewer A";

            BrowserPlayer.register(page, viewerA, email, password);

            // the other instance knows the player without a login of its own
            page.navigate(viewerB + "/pets");
            assertThat(page.url()).isEqualTo(viewerB + "/pets");
            assertThat(page.getByTestId("nav-logout").isVisible()).isTrue();

            // a form of instance B, sent to instance B, then one of A's pages used on B: the token works on both
            page.navigate(viewerA + "/pets/new");
            page.fill("input[name=name]", "Two Homes");
            page.check("input[name=species][value=rabbit]", new Page.CheckOptions().setForce(true));
            page.evaluate("action => document.querySelector('form.adopt').action = action", viewerB + "/pets");
            page.getByTestId("create-pet").click();
            page.waitForURL(Pattern.compile(viewerB + "/pets/\\d+$"));
            assertThat(page.getByTestId("pet-name").textContent()).isEqualTo("Two Homes");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(WorldInTheBrowserIT.SCREENSHOTS.resolve("viewer-b-adopted.png")).setFullPage(true));

            // a thief with a copy of the session cookie, on B: the password changed on A ends that session on B, while
            // the browser that changed it stays logged in on both
            try (BrowserContext thief = browser.newContext()) {
                Page stolen = thief.newPage();
                stolen.setDefaultTimeout(30_000);
                thief.addCookies(List.of(sessionCookie(context)));
                stolen.navigate(viewerB + "/pets");
                assertThat(stolen.url()).isEqualTo(viewerB + "/pets");

                page.navigate(viewerA + "/settings");
                page.fill("#current-password", password);
                page.fill("#new-password", newPassword);
                page.getByTestId("change-password").click();
                page.waitForURL(viewerA + "/settings");
                assertThat(page.getByTestId("flash").textContent()).contains("logged out everywhere else");
                page.navigate(viewerB + "/pets");
                assertThat(page.url()).isEqualTo(viewerB + "/pets");
                refusedSoon(stolen, viewerB);

                // "log out everywhere" on B ends a session A knows, the browser's own too
                thief.addCookies(List.of(sessionCookie(context)));
                stolen.navigate(viewerA + "/pets");
                assertThat(stolen.url()).isEqualTo(viewerA + "/pets");
                page.navigate(viewerB + "/settings");
                page.getByTestId("logout-everywhere").click();
                page.waitForURL(viewerB + "/login");
                assertThat(page.getByTestId("flash").textContent()).contains("You are logged out everywhere.");
                refusedSoon(stolen, viewerA);
            }

            // logging out on B ends the session everywhere: the browser no longer has the cookie
            page.navigate(viewerB + "/login");
            page.fill("#email", email);
            page.fill("#password", newPassword);
            page.getByTestId("login-button").click();
            page.waitForURL(viewerB + "/pets");
            page.getByTestId("nav-logout").click();
            page.waitForURL(Pattern.compile(viewerB + "/login$"));
            page.navigate(viewerA + "/pets");
            assertThat(page.url()).isEqualTo(viewerA + "/login");
        }
    }

    // a session ended elsewhere reaches this instance within milliseconds; the check interval is ten minutes
    private static void refusedSoon(Page stolen, String viewer) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            stolen.navigate(viewer + "/pets");
            assertThat(stolen.url()).isEqualTo(viewer + "/login");
        });
    }

    private static Cookie sessionCookie(BrowserContext context) {
        String value = context.cookies().stream().filter(c -> c.name.equals("livepet-session")).findFirst()
                .orElseThrow().value;
        return new Cookie("livepet-session", value).setDomain("localhost").setPath("/");
    }

    private ServiceProcess start(String name, int port, Map<String, String> env, Path dir) {
        Map<String, String> own = new LinkedHashMap<>(env);
        own.put("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL", "http://localhost:" + port);
        ServiceProcess s = ServiceProcess.start(name, home, port, own, dir.resolve("logs-" + port),
                dir.resolve("pids-" + port));
        services.add(s);
        return s;
    }
}
