package dev.livepet.bench;

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

import static dev.livepet.bench.BenchProcess.say;

/**
 * Browsers on pets' live pages: one JDK WebSocket each on {@code /pets/{id}/live} with its owner's session cookie,
 * at most {@value #CONNECTING_AT_ONCE} connecting at once. Every whole fragment is read for its pet, version and tick
 * ({@code version V, tick T}); each watcher checks that its pet's frames go a tick at a time ({@link TickContinuity}).
 */
final class BenchWatchers {
    /** A frame showing a pet's state, as it arrived. */
    interface Frames {
        void frame(long petId, long version, long tick, long arrivedMillis);
    }

    /** The watchers' frames of their own pets measured tick by tick, summed over all watchers. */
    record Continuity(long frames, long skips, long skippedTicks, long repeats, long backs, long watchersBroken) {
        boolean broken(boolean coalescingAllowed) {
            return repeats + backs > 0 || (!coalescingAllowed && skips > 0);
        }
    }

    private static final Pattern PET = Pattern.compile("data-pet-id=\"(\\d+)\"");
    private static final Pattern VERSION_TICK = Pattern.compile("version (\\d+), tick (\\d+)<");
    private static final int CONNECTING_AT_ONCE = 200;

    private final Frames frames;
    private final AtomicLong received = new AtomicLong();
    // frames without a pet card: the viewer refused to show the pet to this player
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final List<TickContinuity> continuities = new java.util.concurrent.CopyOnWriteArrayList<>();
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
                    .buildAsync(URI.create("ws://127.0.0.1:" + viewerPort + "/pets/" + ids[i] + "/live"), new Watcher(ids[i]))
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

    /** From now on every watcher counts afresh, each from the last frame it had (e.g. once the run begins). */
    void restartContinuity() {
        continuities.forEach(TickContinuity::restart);
    }

    Continuity continuity() {
        long frames = 0, skips = 0, skipped = 0, repeats = 0, backs = 0, broken = 0;
        for (TickContinuity c : continuities) {
            frames += c.frames();
            skips += c.skips();
            skipped += c.skippedTicks();
            repeats += c.repeats();
            backs += c.backs();
            broken += c.skips() + c.repeats() + c.backs() > 0 ? 1 : 0;
        }
        return new Continuity(frames, skips, skipped, repeats, backs, broken);
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

    private void frame(String fragment, long arrivedMillis, long watched, TickContinuity continuity) {
        Matcher pet = PET.matcher(fragment);
        Matcher shown = VERSION_TICK.matcher(fragment);
        if (!pet.find() || !shown.find()) {
            refused.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        long petId = Long.parseLong(pet.group(1));
        long version = Long.parseLong(shown.group(1));
        long tick = Long.parseLong(shown.group(2));
        if (petId == watched) {
            continuity.frame(version, tick);
        }
        frames.frame(petId, version, tick, arrivedMillis);
    }

    /** One browser: collects a fragment's parts, then reads it. */
    private final class Watcher implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final long petId;
        private final TickContinuity continuity = new TickContinuity();

        Watcher(long petId) {
            this.petId = petId;
            continuities.add(continuity);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            open.incrementAndGet();
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frame(text.toString(), System.currentTimeMillis(), petId, continuity);
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
