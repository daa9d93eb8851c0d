package dev.livepet.simulator.domain;

import java.util.Arrays;

/**
 * Which living pets of a partition die at which tick, so that a tick costs its deaths and not a look at every pet: a
 * binary min-heap of longs, each the tick of a death in the high half and the pet's slot in the low half. A death's
 * tick follows from a pet's last event alone and no feed changes it, so an entry is made when a pet is born (or all
 * at once after a restore) and taken out when it dies. 8 bytes per living pet.
 */
final class DeathSchedule {
    private static final long[] NONE = new long[0];

    private long[] heap = NONE;
    private int size;

    /** Schedules the death of the pet in {@code slot} at {@code tick}. */
    void add(int tick, int slot) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, Math.max(16, size + (size >> 1)));
        }
        int at = size++;
        long entry = entry(tick, slot);
        // sift up: seeded pets and adoptions come in tick order, so this loop rarely runs
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (heap[parent] <= entry) {
                break;
            }
            heap[at] = heap[parent];
            at = parent;
        }
        heap[at] = entry;
    }

    /** Whether a death is scheduled at or before {@code tick}. */
    boolean dueBy(long tick) {
        return size > 0 && tickOf(heap[0]) <= tick;
    }

    /** The slot of the earliest death, taken out of the schedule; only after {@link #dueBy} said yes. */
    int takeFirst() {
        int slot = slotOf(heap[0]);
        long last = heap[--size];
        if (size > 0) {
            siftDown(0, last);
        }
        return slot;
    }

    /** Forgets every death, keeping the room. */
    void clear() {
        size = 0;
    }

    /**
     * Replaces the schedule by these deaths in one go (after a restore): linear, where adding them one by one would
     * cost a logarithm each.
     */
    void rebuild(int[] ticks, int[] slots, int count) {
        if (heap.length < count) {
            heap = new long[count];
        }
        for (int i = 0; i < count; i++) {
            heap[i] = entry(ticks[i], slots[i]);
        }
        size = count;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
    }

    /** Gives back room beyond the deaths scheduled. */
    void trimToSize() {
        if (heap.length > size) {
            heap = size == 0 ? NONE : Arrays.copyOf(heap, size);
        }
    }

    int size() {
        return size;
    }

    /** Bytes the schedule holds, for the memory estimate. */
    long bytes() {
        return 16L + 16L + 8L * heap.length;
    }

    private void siftDown(int at, long entry) {
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            int right = child + 1;
            if (right < size && heap[right] < heap[child]) {
                child = right;
            }
            if (entry <= heap[child]) {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = entry;
    }

    private static long entry(int tick, int slot) {
        return ((long) tick << 32) | (slot & 0xFFFFFFFFL);
    }

    private static int tickOf(long entry) {
        return (int) (entry >>> 32);
    }

    private static int slotOf(long entry) {
        return (int) entry;
    }
}
