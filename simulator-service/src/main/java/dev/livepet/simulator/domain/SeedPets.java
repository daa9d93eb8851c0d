package dev.livepet.simulator.domain;

import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.Species;

/**
 * The ownerless pets a new world starts with: ids 1..n, their names and species derived from the id alone, so a
 * seeded pet's name costs no memory until it is written.
 */
public final class SeedPets {
    private static final String[] NAMES = {
            "Biscuit", "Mochi", "Pepper", "Noodle", "Waffles", "Pickle", "Tofu", "Muffin", "Ziggy", "Clover",
            "Pumpkin", "Sprout", "Nugget", "Maple", "Bean", "Olive", "Pip", "Toast", "Juniper", "Basil"};
    private static final String[] MOODS = {
            "Sleepy", "Brave", "Sunny", "Fuzzy", "Tiny", "Jolly", "Curious", "Gentle", "Wobbly", "Lucky",
            "Dizzy", "Cozy", "Sparkly", "Grumpy", "Bouncy", "Quiet"};
    private static final Species[] SPECIES = Species.values();
    // "Mood Name", made once: the first 320 pets share these Strings, later ones add a number
    private static final String[] PAIRS = new String[NAMES.length * MOODS.length];

    static {
        for (int i = 0; i < PAIRS.length; i++) {
            PAIRS[i] = MOODS[i / NAMES.length] + " " + NAMES[i % NAMES.length];
        }
    }

    private SeedPets() {
    }

    /** A name unique per id, e.g. "Sleepy Biscuit" then "Sleepy Biscuit 2" once the word pairs run out. */
    public static String name(long id) {
        String pair = PAIRS[pair(id)];
        long round = round(id);
        return round == 1 ? pair : pair + " " + round;
    }

    /** Whether {@code name} is {@link #name(long)} of this id, without building that name. */
    static boolean isNameOf(long id, String name) {
        String pair = PAIRS[pair(id)];
        long round = round(id);
        String number = round == 1 ? "" : " " + round;
        return name.length() == pair.length() + number.length() && name.startsWith(pair) && name.endsWith(number);
    }

    public static Species species(long id) {
        return SPECIES[(int) (id % SPECIES.length)];
    }

    /** The ids 1..{@code seedPets} grouped by the partition they live in, computed in one pass. */
    public static int[][] idsByPartition(int seedPets, int partitionCount) {
        int[] counts = new int[partitionCount];
        int[] home = new int[seedPets];
        for (int id = 1; id <= seedPets; id++) {
            int p = PetPartitioner.partitionOf(id, partitionCount);
            home[id - 1] = p;
            counts[p]++;
        }
        int[][] ids = new int[partitionCount][];
        for (int p = 0; p < partitionCount; p++) {
            ids[p] = new int[counts[p]];
            counts[p] = 0;
        }
        for (int id = 1; id <= seedPets; id++) {
            int p = home[id - 1];
            ids[p][counts[p]++] = id;
        }
        return ids;
    }

    /** The number {@link #name(long)} ends with, or 1 when it ends with no number. */
    private static long round(long id) {
        return (id - 1) / PAIRS.length + 1;
    }

    private static int pair(long id) {
        long n = id - 1;
        return (int) (((n / NAMES.length) % MOODS.length) * NAMES.length + n % NAMES.length);
    }
}
