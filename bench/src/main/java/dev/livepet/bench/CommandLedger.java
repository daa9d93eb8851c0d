package dev.livepet.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Every command a benchmark had accepted, matched by its id to the events that applied it: an accepted answer carries
 * the command id the viewer sent (header {@code LivePet-Command}), and the event on pet-state carries it in
 * {@code command}. Answers and events come in either order; the counts are read once both sides have settled.
 *
 * <p>Per command id, with {@code a} accepted answers and {@code e} events: {@code max(0, a − e)} are lost (accepted,
 * never applied), {@code max(0, e − max(a, 1))} are duplicated (applied more often than accepted), and an id applied
 * without any accepted answer (its answer failed or timed out) is counted apart. An accepted answer without an id can
 * never be shown applied, so it counts as lost.
 */
final class CommandLedger {
    /** Called once per command id, when its first accepted answer and its first event are both in. */
    interface Matches {
        void matched(String commandId, long dueMillis, long petId, long version, long tick);
    }

    private static final class Entry {
        int answers;
        int events;
        long dueMillis;
        long petId;
        long version;
        long tick;
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final Matches matches;
    private long acceptedWithoutId;
    private long accepted;

    CommandLedger(Matches matches) {
        this.matches = matches;
    }

    /** An accepted answer carrying {@code commandId} for a request due at {@code dueMillis}. */
    void accepted(String commandId, long dueMillis) {
        long petId, version, tick;
        synchronized (this) {
            accepted++;
            if (commandId == null || commandId.isBlank()) {
                acceptedWithoutId++;
                return;
            }
            Entry e = entries.computeIfAbsent(commandId, id -> new Entry());
            e.answers++;
            if (e.answers > 1) {
                return;
            }
            e.dueMillis = dueMillis;
            if (e.events == 0) {
                return;
            }
            petId = e.petId;
            version = e.version;
            tick = e.tick;
        }
        matches.matched(commandId, dueMillis, petId, version, tick);
    }

    /** An event on pet-state that applied {@code commandId}: the pet's version {@code version} at tick {@code tick}. */
    void applied(String commandId, long petId, long version, long tick) {
        long dueMillis;
        synchronized (this) {
            Entry e = entries.computeIfAbsent(commandId, id -> new Entry());
            e.events++;
            if (e.events > 1) {
                return;
            }
            e.petId = petId;
            e.version = version;
            e.tick = tick;
            if (e.answers == 0) {
                return;
            }
            dueMillis = e.dueMillis;
        }
        matches.matched(commandId, dueMillis, petId, version, tick);
    }

    /** Accepted answers, with or without an id. */
    synchronized long accepted() {
        return accepted;
    }

    /** Accepted answers that carried no command id: nothing can show them applied. */
    synchronized long acceptedWithoutId() {
        return acceptedWithoutId;
    }

    /** Accepted commands never applied, answers without an id included. */
    synchronized long lost() {
        long lost = acceptedWithoutId;
        for (Entry e : entries.values()) {
            lost += Math.max(0, e.answers - e.events);
        }
        return lost;
    }

    /** Applications beyond what was accepted (beyond one for a command whose answer never came). */
    synchronized long duplicated() {
        long duplicated = 0;
        for (Entry e : entries.values()) {
            duplicated += Math.max(0, e.events - Math.max(e.answers, 1));
        }
        return duplicated;
    }

    /** Command ids applied though no accepted answer carried them (the answer failed or timed out). */
    synchronized long appliedWithoutAnswer() {
        return entries.values().stream().filter(e -> e.answers == 0 && e.events > 0).count();
    }

    /** Command ids seen applied at least once. */
    synchronized long applied() {
        return entries.values().stream().filter(e -> e.events > 0).count();
    }
}
