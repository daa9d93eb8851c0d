package dev.livepet.simulator.domain;

import dev.livepet.contract.Species;

/** The ownerless pets a new world starts with: ids 1..n, their names and species derived from the id alone. */
public final class SeedPets {
    private static final String[] NAMES = {
            "Biscuit", "Mochi", "Pepper", "Noodle", "Waffles", "Pickle", "Tofu", "Muffin", "Ziggy", "Clover",
            "Pumpkin", "Sprout", "Nugget", "Maple", "Bean", "Olive", "Pip", "Toast", "Juniper", "Basil"};
    private static final String[] MOODS = {
            "Sleepy", "Brave", "Sunny", "Fuzzy", "Tiny", "Jolly", "Curious", "Gentle", "Wobbly", "Lucky",
            "Dizzy", "Cozy", "Sparkly", "Grumpy", "Bouncy", "Quiet"};
    private static final Species[] SPECIES = Species.values();

    private SeedPets() {
    }

    /** A name unique per id, e.g. "Sleepy Biscuit" then "Sleepy Biscuit 2" once the word pairs run out. */
    public static String name(long id) {
        long n = id - 1;
        long pairs = (long) NAMES.length * MOODS.length;
        String name = MOODS[(int) ((n / NAMES.length) % MOODS.length)] + " " + NAMES[(int) (n % NAMES.length)];
        long round = n / pairs;
        return round == 0 ? name : name + " " + (round + 1);
    }

    public static Species species(long id) {
        return SPECIES[(int) (id % SPECIES.length)];
    }
}
