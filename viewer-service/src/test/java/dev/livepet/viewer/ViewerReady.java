package dev.livepet.viewer;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Before every test of the viewer: the viewer is ready (its stream reads every pet-state partition from a known
 * offset, so nothing published from then on is missed). One wait for every test class, instead of one in each.
 */
public class ViewerReady implements QuarkusTestBeforeEachCallback {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try {
                return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }
}
