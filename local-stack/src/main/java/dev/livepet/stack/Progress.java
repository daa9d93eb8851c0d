package dev.livepet.stack;

import java.io.PrintStream;

/** A long phase of a repartition, a backup or a restore said as it goes: a line every few seconds with the count and the share done. */
final class Progress {
    private static final long EVERY_NANOS = 3_000_000_000L; // often enough to see it move, seldom enough to read

    private final PrintStream out;
    private final String what;
    private final String unit;
    private final long total;
    private final long since = System.nanoTime();
    private long done;
    private long lastLine = since;

    Progress(PrintStream out, String what, String unit, long total) {
        this.out = out;
        this.what = what;
        this.unit = unit;
        this.total = total;
    }

    void add(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastLine >= EVERY_NANOS) {
            lastLine = now;
            out.printf("LivePet ▸   %s: %,d of %,d %s (%d %%)%n", what, done, total, unit, percent());
            out.flush();
        }
    }

    /** The closing line of the phase, with what it found. */
    void finish(String found) {
        out.printf("LivePet ▸   %s: %,d %s in %.1f s; %s%n", what, done, unit, seconds(), found);
        out.flush();
    }

    double seconds() {
        return (System.nanoTime() - since) / 1e9;
    }

    private long percent() {
        return total <= 0 ? 100 : Math.min(100, done * 100 / total);
    }
}
