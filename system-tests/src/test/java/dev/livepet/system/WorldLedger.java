package dev.livepet.system;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a long fault run needs to know of pet-state, kept compact (a few numbers per pet, a count per feed) so that
 * hours of states fit: each pet's newest version, and every break of the rules that a fault could cause — a version
 * missing or repeated (a lost or doubled change), an age that jumps (a tick applied twice) or moves without a tick,
 * a dead pet changed again, a feed command applied more than once.
 */
final class WorldLedger implements Consumer<PetState> {
    private static final int PROBLEMS_KEPT = 20;

    private record Pet(long version, int age, boolean alive) {
    }

    private final Map<Long, Pet> pets = new HashMap<>();
    private final Map<String, Integer> feeds = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    private long states;

    @Override
    public synchronized void accept(PetState s) {
        states++;
        Pet before = pets.get(s.id());
        // the first state seen of a pet may follow compacted ones; from then on every change is checked
        if (before != null) {
            if (s.version() != before.version() + 1) {
                problem("pet %d: version %d after %d", s.id(), s.version(), before.version());
            }
            int step = s.age() - before.age();
            int expected = s.cause() == Cause.TICK || s.cause() == Cause.DIED ? 1 : 0;
            if (step != expected) {
                problem("pet %d: age %d -> %d by a %s at version %d", s.id(), before.age(), s.age(), s.cause(), s.version());
            }
            if (!before.alive()) {
                problem("pet %d: changed (%s) after it died", s.id(), s.cause());
            }
        }
        pets.put(s.id(), new Pet(s.version(), s.age(), s.alive()));
        if ((s.cause() == Cause.FED || s.cause() == Cause.TREAT) && s.command() != null) {
            int times = feeds.merge(s.command(), 1, Integer::sum);
            if (times > 1) {
                problem("feed %s applied %d times (pet %d, version %d)", s.command(), times, s.id(), s.version());
            }
        }
    }

    private void problem(String format, Object... args) {
        problemCount++;
        if (problems.size() < PROBLEMS_KEPT) {
            problems.add(String.format(format, args));
        }
    }

    synchronized Map<Long, Long> latestVersions() {
        Map<Long, Long> latest = new HashMap<>(pets.size() * 2);
        pets.forEach((id, p) -> latest.put(id, p.version()));
        return latest;
    }

    synchronized long latestVersion(long petId) {
        Pet p = pets.get(petId);
        return p == null ? 0 : p.version();
    }

    /** Pets of {@code before} whose newest version is still the one they had then. */
    synchronized List<Long> unchangedSince(Map<Long, Long> before) {
        List<Long> unchanged = new ArrayList<>();
        before.forEach((id, version) -> {
            Pet now = pets.get(id);
            if (now == null || now.version() <= version) {
                unchanged.add(id);
            }
        });
        return unchanged;
    }

    /** How many times the feed command was applied (0 while it is still on its way). */
    synchronized int timesApplied(String commandId) {
        return feeds.getOrDefault(commandId, 0);
    }

    synchronized long states() {
        return states;
    }

    synchronized int pets() {
        return pets.size();
    }

    /** The first breaks of the rules seen, and how many there were in all. */
    synchronized String problems() {
        return problemCount == 0 ? "" : problemCount + " problem(s), the first: " + String.join("; ", problems);
    }
}
