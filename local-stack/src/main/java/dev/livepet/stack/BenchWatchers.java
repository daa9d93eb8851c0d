package dev.livepet.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.livepet.stack.BenchProcess.say;

/**
 * Browsers on pets' live pages: one JDK WebSocket each on {@code /pets/{id}/live} with its owner's session cookie,
 * at most {@value #CONNECTING_AT_ONCE} connecting at once. Every whole fragment is read for its pet and version.
 */
final class BenchWatchers {
    /** A frame showing a pet's state, as it arrived. */
    interface Frames {
        void frame(long petId, long version, long arrivedMillis);
    }

    private static final Pattern PET = Pattern.compile("data-pet-id=\"(\\d+)\"");
    private static final Pattern VERSION = Pattern.compile("version (\\d+)<");
    private static final int CONNECTING_AT_ONCE = 200;

    private final Frames frames;
    private final AtomicLong received = new AtomicLong();
    // frames without a pet card: the viewer refused to show the pet to this player
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private int failed;
    private double connectSeconds;

    BenchWatchers(Frames frames) {
        this.frames = frames;
    }

    /** Opens one watcher per pet, the i-th with the cookie of {@code owners[i % owners.size()]}; waits for all. */
    void connect(int viewerPort, long[] ids, List<BenchPlayer> owners) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
        long start = System.nanoTime();
        long lastPrint = start;
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            connecting.acquire();
            pending.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60))
                    .header("Cookie", owners.get(i % owners.size()).cookieHeader())
                    .buildAsync(URI.create("ws://127.0.0.1:" + viewerPort + "/pets/" + ids[i] + "/live"), new Watcher())
                    .whenComplete((ws, failure) -> {
                        connecting.release();
                        if (failure != null) {
                            firstFailure.compareAndSet(null, failure.toString());
                        }
                    }));
            if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                lastPrint = System.nanoTime();
                say("  %5.1f s  %,d of %,d watchers connected", BenchProcess.seconds(start), open.get(), ids.length);
            }
        }
        for (CompletableFuture<WebSocket> p : pending) {
            try {
                sockets.add(p.get(120, TimeUnit.SECONDS));
            } catch (Exception e) {
                failed++;
            }
        }
        connectSeconds = BenchProcess.seconds(start);
    }

    /** "10,000 of 10,000 in 27.0 s (371/s), 0 failed", and the first failure if any. */
    String connectedSummary(int wanted) {
        return String.format("%,d of %,d in %.1f s (%,.0f/s), %d failed%s", sockets.size(), wanted, connectSeconds,
                sockets.size() / connectSeconds, failed, failed > 0 ? ", the first: " + firstFailure.get() : "");
    }

    /** One number for (pet, version), to match a frame with the state it shows. */
    static long key(long petId, long version) {
        return (petId << 24) ^ (version & 0xFFFFFF);
    }

    int connected() {
        return sockets.size();
    }

    long frames() {
        return received.get();
    }

    long refused() {
        return refused.get();
    }

    int open() {
        return open.get();
    }

    void abortAll() {
        sockets.forEach(WebSocket::abort);
    }

    private void frame(String fragment, long arrivedMillis) {
        Matcher pet = PET.matcher(fragment);
        Matcher version = VERSION.matcher(fragment);
        if (!pet.find() || !version.find()) {
            refused.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        frames.frame(Long.parseLong(pet.group(1)), Long.parseLong(version.group(1)), arrivedMillis);
    }

    /** One browser: collects a fragment's parts, then reads it. */
    private final class Watcher implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            open.incrementAndGet();
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frame(text.toString(), System.currentTimeMillis());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            open.decrementAndGet();
            closed.incrementAndGet();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            open.decrementAndGet();
            closed.incrementAndGet();
        }
    }
}
