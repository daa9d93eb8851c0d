package dev.livepet.system;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two viewer instances with the same session key: a player who logged in on one is logged in on the other
 * (the session is an encrypted cookie, no server state), and a form of one is accepted by the other (CSRF).
 * A browser sends a host's cookies to every port of it, as it would to every instance behind one address.
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
    void aPlayerLoggedInOnOneViewerIsLoggedInOnTheOtherAndItsFormsWorkThere() throws Exception {
        Files.createDirectories(WorldInTheBrowserIT.SCREENSHOTS);
        Path dir = Files.createTempDirectory("livepet-viewer-sessions");
        stack = LocalStack.start(LocalStackSettings.onFreePorts(dir.resolve("data"), 6));
        Map<String, String> env = new LinkedHashMap<>(stack.serviceEnvironment());
        env.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "one key for every viewer of this test");
        env.put("QUARKUS_MAILER_MOCK", "true");
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
             BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.setDefaultTimeout(30_000);
            String email = "two-viewers-" + System.nanoTime() + "@example.com";
            String password = "one session, two viewers";

            BrowserPlayer.registerAndLogIn(page, viewerA, email, password);

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

            // logging out on B ends the session everywhere: the browser no longer has the cookie
            page.getByTestId("nav-logout").click();
            page.waitForURL(Pattern.compile(viewerB + "/login$"));
            page.navigate(viewerA + "/pets");
            assertThat(page.url()).isEqualTo(viewerA + "/login");
        }
    }

    private ServiceProcess start(String name, int port, Map<String, String> env, Path dir) {
        ServiceProcess s = ServiceProcess.start(name, home, port, env, dir.resolve("logs-" + port),
                dir.resolve("pids-" + port));
        services.add(s);
        return s;
    }
}
