package dev.livepet.viewer.stream;

import dev.livepet.viewer.ShownPet;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketClientConnection;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A WebSocket client as htmx's extension is one, with the player's session cookie: it collects the fragments. */
final class LiveBrowser implements AutoCloseable {
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private WebSocketClientConnection connection;

    static LiveBrowser open(URI base, long petId, TestPlayer player) {
        return open(base, Long.toString(petId), player);
    }

    static LiveBrowser open(URI base, String petId, TestPlayer player) {
        LiveBrowser browser = new LiveBrowser();
        browser.connection = BasicWebSocketConnector.create().baseUri(base)
                .path("/pets/" + petId + "/live")
                .addHeader("Cookie", TestPlayer.SESSION + "=" + player.session())
                .onTextMessage((c, fragment) -> browser.frames.add(fragment))
                .onClose((c, reason) -> browser.closed.complete(reason))
                .connectAndAwait();
        return browser;
    }

    /** The next fragment, within 30 s. */
    String next() throws InterruptedException {
        String frame = frames.poll(30, TimeUnit.SECONDS);
        assertThat(frame).as("a fragment pushed within 30 s").isNotNull();
        return frame;
    }

    /** What the next fragment shows of the pet. */
    ShownPet nextPet() throws InterruptedException {
        return ShownPet.in(next());
    }

    @Override
    public void close() {
        if (connection.isOpen()) {
            connection.closeAndAwait();
        }
    }
}
