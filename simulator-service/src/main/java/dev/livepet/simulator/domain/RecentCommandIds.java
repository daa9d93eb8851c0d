package dev.livepet.simulator.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ids of the last {@code capacity} commands applied to a partition, so that a player's retry of a command is
 * applied once. The oldest id is forgotten first.
 */
final class RecentCommandIds {
    private final String[] ring;
    private final Set<String> ids;
    private int next;
    private long idBytes;

    RecentCommandIds(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("recent-command-ids must not be negative");
        }
        ring = new String[capacity];
        // grows with use: most partitions of a big world see few commands
        ids = new HashSet<>();
    }

    boolean contains(String commandId) {
        return ids.contains(commandId);
    }

    void remember(String commandId) {
        if (ring.length == 0 || commandId == null || !ids.add(commandId)) {
            return;
        }
        String forgotten = ring[next];
        if (forgotten != null) {
            ids.remove(forgotten);
            idBytes -= bytes(forgotten);
        }
        ring[next] = commandId;
        idBytes += bytes(commandId);
        next = (next + 1) % ring.length;
    }

    /** The remembered ids, the oldest first: remembering them in this order in an empty set rebuilds this one. */
    List<String> oldestFirst() {
        List<String> inOrder = new ArrayList<>(ids.size());
        for (int i = 0; i < ring.length; i++) {
            String id = ring[(next + i) % ring.length];
            if (id != null) {
                inOrder.add(id);
            }
        }
        return inOrder;
    }

    int size() {
        return ids.size();
    }

    /** Bytes the remembered ids hold: the ring, the set's entries and table, the Strings. */
    long bytes() {
        return 16L + 4L * ring.length + 48L + 8L * Integer.highestOneBit(Math.max(1, ids.size() * 4 / 3) * 2)
                + 32L * ids.size() + idBytes;
    }

    private static long bytes(String id) {
        return 24 + 16 + (long) id.length() * (id.chars().allMatch(c -> c < 256) ? 1 : 2);
    }
}
