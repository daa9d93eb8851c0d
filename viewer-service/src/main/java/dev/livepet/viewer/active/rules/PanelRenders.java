package dev.livepet.viewer.active.rules;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * One render per look: every panel that shows the same pets the same way (same viewer, same page, same treats left)
 * takes the one render made for the first of them, until the pets shown change. {@code W} is what every panel shows
 * (the pets around), {@code L} what makes one panel look unlike another.
 */
public final class PanelRenders<W, L> {
    private record Generation<W, L>(W shown, Map<L, String> renders) {
    }

    private final BiFunction<W, L, String> render;
    // replaced whole: a render of the old pets that finishes late lands in the old map, never in the new
    private volatile Generation<W, L> current;

    public PanelRenders(W shown, BiFunction<W, L, String> render) {
        this.render = render;
        this.current = new Generation<>(shown, new ConcurrentHashMap<>());
    }

    /** The pets every panel shows from now on; the renders of the ones before are dropped. */
    public void show(W shown) {
        current = new Generation<>(shown, new ConcurrentHashMap<>());
    }

    public W shown() {
        return current.shown();
    }

    /** The panel as it looks now, rendered once for every panel that looks like it. */
    public String of(L look) {
        Generation<W, L> now = current;
        return now.renders().computeIfAbsent(look, l -> render.apply(now.shown(), l));
    }
}
