package dev.livepet.system;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a browser tab went through, with times since the diary began: the pages it loaded, its WebSockets (opened,
 * first frames, closed, failed), failed requests, error answers and console errors. A failed test shows it, so a
 * timeout says whether the page never connected, was never sent a state, or was sent one it did not show.
 */
final class PageDiary {
    private static final int MAX_ENTRIES = 200;
    private static final int FRAMES_PER_SOCKET = 3;
    private static final int EXCERPT = 160;

    private final String name;
    private final Page page;
    private final long began = System.nanoTime();
    private final List<String> entries = new ArrayList<>();

    private PageDiary(String name, Page page) {
        this.name = name;
        this.page = page;
    }

    /** Starts writing down what {@code page} goes through; Playwright calls back on the test's thread. */
    static PageDiary of(String name, Page page) {
        PageDiary diary = new PageDiary(name, page);
        page.onFrameNavigated(frame -> {
            if (frame == page.mainFrame()) {
                diary.note("loaded " + frame.url());
            }
        });
        page.onResponse(r -> {
            if (r.status() >= 400) {
                diary.note(r.status() + " for " + r.request().method() + " " + r.url());
            }
        });
        page.onRequestFailed(r -> diary.note("request failed: " + r.method() + " " + r.url() + ": " + r.failure()));
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type()) || "warning".equals(m.type())) {
                diary.note("console " + m.type() + ": " + excerpt(m.text()));
            }
        });
        page.onWebSocket(socket -> diary.watch(socket));
        return diary;
    }

    private void watch(WebSocket socket) {
        String url = socket.url();
        note("WebSocket opened " + url);
        int[] frames = {0};
        socket.onFrameReceived(frame -> {
            if (++frames[0] <= FRAMES_PER_SOCKET) {
                note("frame " + frames[0] + " from " + url + ": " + excerpt(frame.text()));
            }
        });
        socket.onSocketError(error -> note("WebSocket error " + url + ": " + error));
        socket.onClose(closed -> note("WebSocket closed " + url + " after " + frames[0] + " frame(s)"));
    }

    private synchronized void note(String what) {
        if (entries.size() < MAX_ENTRIES) {
            entries.add(String.format("%7.1f s  %s", (System.nanoTime() - began) / 1e9, what));
        }
    }

    /** The diary, then what the page shows now (its address and main text). */
    String read() {
        StringBuilder out = new StringBuilder("— " + name + "'s tab —\n");
        synchronized (this) {
            entries.forEach(e -> out.append(e).append('\n'));
        }
        out.append(String.format("%7.1f s  now at %s%n", (System.nanoTime() - began) / 1e9, safely(page::url)));
        out.append("it shows: ").append(excerpt(safely(() -> page.locator("main").innerText(
                new Locator.InnerTextOptions().setTimeout(2_000))), 1_500)).append('\n');
        return out.toString();
    }

    private static String safely(Supplier<String> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return "(could not read: " + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }

    private static String excerpt(String text) {
        return excerpt(text, EXCERPT);
    }

    private static String excerpt(String text, int max) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return flat.length() > max ? flat.substring(0, max) + "…" : flat;
    }
}
