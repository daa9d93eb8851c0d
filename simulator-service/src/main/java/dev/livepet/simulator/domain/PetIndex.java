package dev.livepet.simulator.domain;

/**
 * Pet id → slot in a {@link PetPartition}: an open-addressing hash table on primitive arrays (linear probing,
 * at most half full), so that a million pets cost two arrays instead of a million boxed entries.
 * Pet ids are positive, so 0 marks an empty bucket. Pets are never removed.
 */
final class PetIndex {
    private static final long EMPTY = 0L;

    private long[] keys;
    private int[] slots;
    private int mask;
    private int size;

    PetIndex(int expectedPets) {
        int buckets = Integer.highestOneBit(Math.max(8, expectedPets * 2 - 1)) << 1;
        keys = new long[buckets];
        slots = new int[buckets];
        mask = buckets - 1;
    }

    /** The slot of pet {@code id}, or -1 when this partition has no such pet. */
    int get(long id) {
        for (int b = bucket(id, mask); ; b = (b + 1) & mask) {
            long k = keys[b];
            if (k == id) {
                return slots[b];
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    void put(long id, int slot) {
        if (id <= 0) {
            throw new IllegalArgumentException("pet ids are positive, not " + id);
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        if (insert(keys, slots, mask, id, slot)) {
            size++;
        }
    }

    int size() {
        return size;
    }

    int buckets() {
        return keys.length;
    }

    private void grow() {
        int buckets = keys.length * 2;
        long[] newKeys = new long[buckets];
        int[] newSlots = new int[buckets];
        int newMask = buckets - 1;
        for (int b = 0; b < keys.length; b++) {
            if (keys[b] != EMPTY) {
                insert(newKeys, newSlots, newMask, keys[b], slots[b]);
            }
        }
        keys = newKeys;
        slots = newSlots;
        mask = newMask;
    }

    private static boolean insert(long[] keys, int[] slots, int mask, long id, int slot) {
        for (int b = bucket(id, mask); ; b = (b + 1) & mask) {
            if (keys[b] == EMPTY) {
                keys[b] = id;
                slots[b] = slot;
                return true;
            }
            if (keys[b] == id) {
                slots[b] = slot;
                return false;
            }
        }
    }

    // ids are often consecutive: Fibonacci hashing spreads them over the table
    private static int bucket(long id, int mask) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
