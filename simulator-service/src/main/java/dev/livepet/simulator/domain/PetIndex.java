package dev.livepet.simulator.domain;

/**
 * Pet id → slot in a {@link PetPartition}: an open-addressing hash table (linear probing, at most three quarters
 * full) that stores only slots; the ids are read from the partition's own id array, so a pet costs the index about
 * 4 to 11 bytes instead of a boxed map entry. A bucket holds slot + 1, so 0 marks it empty. Pets are never removed.
 */
final class PetIndex {
    private int[] buckets;
    private int mask;
    private int size;

    PetIndex(int expectedPets) {
        int n = Integer.highestOneBit(Math.max(8, expectedPets * 4 / 3 + 1) - 1) << 1;
        buckets = new int[n];
        mask = n - 1;
    }

    /** The slot of pet {@code id} in {@code ids}, or -1 when this partition has no such pet. */
    int get(long id, long[] ids) {
        for (int b = bucket(id, mask); ; b = (b + 1) & mask) {
            int entry = buckets[b];
            if (entry == 0) {
                return -1;
            }
            if (ids[entry - 1] == id) {
                return entry - 1;
            }
        }
    }

    /** Indexes a new pet whose id is already at {@code ids[slot]}; the id must not be indexed yet. */
    void add(int slot, long[] ids) {
        long id = ids[slot];
        if (id <= 0) {
            throw new IllegalArgumentException("pet ids are positive, not " + id);
        }
        if ((size + 1) * 4L > buckets.length * 3L) {
            grow(ids);
        }
        insert(buckets, mask, id, slot);
        size++;
    }

    int size() {
        return size;
    }

    int buckets() {
        return buckets.length;
    }

    /** Bytes the table holds, for the memory metric. */
    long bytes() {
        return 16L + 4L * buckets.length;
    }

    private void grow(long[] ids) {
        int[] bigger = new int[buckets.length * 2];
        int biggerMask = bigger.length - 1;
        for (int entry : buckets) {
            if (entry != 0) {
                insert(bigger, biggerMask, ids[entry - 1], entry - 1);
            }
        }
        buckets = bigger;
        mask = biggerMask;
    }

    private static void insert(int[] buckets, int mask, long id, int slot) {
        int b = bucket(id, mask);
        while (buckets[b] != 0) {
            b = (b + 1) & mask;
        }
        buckets[b] = slot + 1;
    }

    // ids are often consecutive: Fibonacci hashing spreads them over the table
    private static int bucket(long id, int mask) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
