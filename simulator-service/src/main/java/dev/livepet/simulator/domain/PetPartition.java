package dev.livepet.simulator.domain;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The pets of one Kafka partition, in compact memory: one slot per pet across primitive arrays, an id → slot
 * index that stores only ints, growth by half. About 33 bytes a seeded pet: id and version 8 each, age and hunger 2
 * each, species and life 1, a reference 4 (null for a seeded pet, whose owner is none and whose name follows from
 * its id), the index 4 to 11. Dead pets keep their slot (they stay visible) but never tick again.
 * Not thread-safe: one simulator thread owns a partition.
 */
public final class PetPartition {
    public static final int DEFAULT_CAPACITY = 1024;
    private static final Species[] SPECIES = Species.values();
    private static final int ALIVE = 0x80;
    private static final int SPECIES_BITS = 0x7F;

    private final int partition;
    private final WorldRules rules;
    private final PetIndex index;
    private final RecentCommandIds recentCommands;
    // one String per player, however many pets they own
    private final Map<String, String> owners = new HashMap<>();

    private long[] ids;
    private long[] versions;
    private char[] ages;
    private short[] hungers;
    private byte[] kinds;
    private Adoption[] adoptions;
    private int size;
    private int aliveCount;
    private long adoptionBytes;

    /**
     * Who adopted a pet and the name they gave it; null for a seeded pet.
     *
     * @param owner the player's id, null for an ownerless pet restored with a name of its own
     */
    record Adoption(String owner, String name) {
    }

    public PetPartition(int partition, WorldRules rules, int recentCommandIds) {
        this(partition, rules, recentCommandIds, DEFAULT_CAPACITY);
    }

    public PetPartition(int partition, WorldRules rules, int recentCommandIds, int initialCapacity) {
        this.partition = partition;
        this.rules = rules;
        this.recentCommands = new RecentCommandIds(recentCommandIds);
        int capacity = Math.max(1, initialCapacity);
        this.index = new PetIndex(capacity);
        ids = new long[capacity];
        versions = new long[capacity];
        ages = new char[capacity];
        hungers = new short[capacity];
        kinds = new byte[capacity];
        adoptions = new Adoption[capacity];
    }

    /** Applies a player's command; a command id seen recently is not applied again. */
    public CommandOutcome apply(PetCommand command, long at, PetChangeSink sink) {
        if (command instanceof AdoptCommand adopt) {
            return adopt(adopt, at, sink);
        }
        return feed((FeedCommand) command, at, sink);
    }

    public CommandOutcome adopt(AdoptCommand command, long at, PetChangeSink sink) {
        if (recentCommands.contains(command.commandId())) {
            return CommandOutcome.DUPLICATE;
        }
        if (slotOf(command.petId()) >= 0) {
            return CommandOutcome.refused("pet " + command.petId() + " already exists");
        }
        String nameProblem = rules.nameProblem(command.name());
        if (nameProblem != null) {
            return CommandOutcome.refused(nameProblem);
        }
        int slot = add(command.petId(), command.owner(), command.name().strip(), command.species(), 0,
                rules.initialHunger(), true, 1);
        recentCommands.remember(command.commandId());
        sink.changed(this, slot, Cause.ADOPTED, at, command.commandId());
        return CommandOutcome.APPLIED;
    }

    public CommandOutcome feed(FeedCommand command, long at, PetChangeSink sink) {
        if (recentCommands.contains(command.commandId())) {
            return CommandOutcome.DUPLICATE;
        }
        int slot = slotOf(command.petId());
        if (slot < 0) {
            return CommandOutcome.refused("there is no pet " + command.petId());
        }
        WorldRules.Feeding feeding = rules.feed(alive(slot), hungers[slot], command.food());
        recentCommands.remember(command.commandId());
        if (feeding.ignored()) {
            return CommandOutcome.IGNORED;
        }
        hungers[slot] = (short) feeding.hunger();
        versions[slot]++;
        sink.changed(this, slot, feeding.cause(), at, command.commandId());
        return CommandOutcome.APPLIED;
    }

    /**
     * Ticks the living pets of one slice: the slots {@code s} with {@code s % slices == slice}. Calling this for
     * every slice once ticks every living pet exactly once. A pet that dies is published with cause
     * {@link Cause#DIED} and never ticks again.
     *
     * @return how many pets ticked
     */
    public int tickSlice(int slice, int slices, long at, PetChangeSink sink) {
        int ticked = 0;
        for (int s = slice; s < size; s += slices) {
            int kind = kinds[s];
            if ((kind & ALIVE) == 0) {
                continue;
            }
            int age = rules.tickAge(ages[s]);
            ages[s] = (char) age;
            hungers[s] = (short) rules.tickHunger(hungers[s]);
            versions[s]++;
            Cause cause = Cause.TICK;
            if (rules.diesAt(age)) {
                kinds[s] = (byte) (kind & SPECIES_BITS);
                aliveCount--;
                cause = Cause.DIED;
            }
            ticked++;
            sink.changed(this, s, cause, at, null);
        }
        return ticked;
    }

    /**
     * Loads a state read back from the state topic; the highest version of a pet wins. The command id it carries
     * is remembered so that a retry of that command is not applied again.
     *
     * @return true when the state was taken
     */
    public boolean restore(PetState state) {
        recentCommands.remember(state.command());
        int hunger = Math.max(0, Math.min(state.hunger(), rules.maxHunger()));
        int age = Math.max(0, Math.min(state.age(), WorldRules.MAX_STORED_AGE));
        int slot = slotOf(state.id());
        if (slot < 0) {
            add(state.id(), state.owner(), state.name(), state.species(), age, hunger, state.alive(), state.version());
            return true;
        }
        if (state.version() <= versions[slot]) {
            return false;
        }
        if (alive(slot) != state.alive()) {
            aliveCount += state.alive() ? 1 : -1;
        }
        adoptionBytes -= bytes(adoptions[slot]);
        adoptions[slot] = adoption(state.id(), state.owner(), state.name());
        adoptionBytes += bytes(adoptions[slot]);
        kinds[slot] = kind(state.species(), state.alive());
        ages[slot] = (char) age;
        hungers[slot] = (short) hunger;
        versions[slot] = state.version();
        return true;
    }

    /**
     * Creates the ownerless pets with ids 1..{@code seedPets} that live in this partition, each published as
     * {@link Cause#ADOPTED}; only a partition without pets is seeded.
     *
     * @return how many pets were seeded
     */
    public int seed(int seedPets, int partitionCount, long at, PetChangeSink sink) {
        return seed(SeedPets.idsByPartition(seedPets, partitionCount)[partition], at, sink);
    }

    /**
     * Creates the ownerless pets with the given ids, which must all live in this partition, each published as
     * {@link Cause#ADOPTED}; only a partition without pets is seeded.
     *
     * @return how many pets were seeded
     */
    public int seed(int[] seedIds, long at, PetChangeSink sink) {
        if (size > 0) {
            return 0;
        }
        if (ids.length < seedIds.length) {
            resize(seedIds.length);
        }
        for (int id : seedIds) {
            int slot = add(id, null, null, SeedPets.species(id), 0, rules.initialHunger(), true, 1);
            sink.changed(this, slot, Cause.ADOPTED, at, null);
        }
        trimToSize();
        return seedIds.length;
    }

    /** Gives back the room a partition grew into but does not use, e.g. after a restore. */
    public void trimToSize() {
        if (size < ids.length) {
            resize(Math.max(1, size));
        }
    }

    /** The complete snapshot of the pet in {@code slot} after a change. */
    public PetState snapshot(int slot, Cause cause, long at, String commandId) {
        return new PetState(ids[slot], owner(slot), name(slot), species(slot), ages[slot], hungers[slot],
                alive(slot), versions[slot], cause, at, commandId);
    }

    /** The slot of pet {@code id}, or -1. */
    public int slotOf(long id) {
        return index.get(id, ids);
    }

    public int partition() {
        return partition;
    }

    public int size() {
        return size;
    }

    public int aliveCount() {
        return aliveCount;
    }

    public int capacity() {
        return ids.length;
    }

    /**
     * Bytes this partition's pets hold on the heap: the arrays, the index, the adopted pets' names and owners
     * (counted once per distinct owner). Estimated for a 64-bit JVM with compressed references.
     */
    public long heapBytes() {
        return 16L * 6 + 8L * ids.length * 2 + 2L * ages.length * 2 + kinds.length + 4L * adoptions.length
                + index.bytes() + adoptionBytes;
    }

    public long id(int slot) {
        return ids[slot];
    }

    public int age(int slot) {
        return ages[slot];
    }

    public int hunger(int slot) {
        return hungers[slot];
    }

    public long version(int slot) {
        return versions[slot];
    }

    public boolean alive(int slot) {
        return (kinds[slot] & ALIVE) != 0;
    }

    public Species species(int slot) {
        return SPECIES[kinds[slot] & SPECIES_BITS];
    }

    /** The owning player, null for an ownerless pet. */
    public String owner(int slot) {
        Adoption a = adoptions[slot];
        return a == null ? null : a.owner();
    }

    /** The pet's name; a seeded pet's is derived from its id on every call. */
    public String name(int slot) {
        Adoption a = adoptions[slot];
        return a == null ? SeedPets.name(ids[slot]) : a.name();
    }

    /** The stored name and owner, or null for a seeded pet (for writers that derive its name without a String). */
    Adoption adoption(int slot) {
        return adoptions[slot];
    }

    private Adoption adoption(long id, String owner, String name) {
        if (owner == null && (name == null || SeedPets.isNameOf(id, name))) {
            return null;
        }
        String shared = owner == null ? null : owners.computeIfAbsent(owner, o -> {
            adoptionBytes += 48 + stringBytes(o);
            return o;
        });
        return new Adoption(shared, name);
    }

    /** Species and life of a slot in one byte, as a snapshot stores them. */
    byte kind(int slot) {
        return kinds[slot];
    }

    /** The remembered command ids, oldest first, as a snapshot stores them. */
    public java.util.List<String> recentCommandIds() {
        return recentCommands.oldestFirst();
    }

    void rememberCommand(String commandId) {
        recentCommands.remember(commandId);
    }

    /**
     * Adds a pet read from a snapshot, clamped to the rules as {@link #restore(PetState)} clamps a state.
     *
     * @throws IllegalArgumentException when the id is not positive, already here, or the kind names no species
     */
    void addFromSnapshot(long id, String owner, String name, byte kind, int age, int hunger, long version) {
        if ((kind & SPECIES_BITS) >= SPECIES.length) {
            throw new IllegalArgumentException("pet " + id + " has no species number " + (kind & SPECIES_BITS));
        }
        if (id <= 0 || slotOf(id) >= 0) {
            throw new IllegalArgumentException("pet id " + id + " is not positive or appears twice");
        }
        add(id, owner, name, SPECIES[kind & SPECIES_BITS], Math.max(0, Math.min(age, WorldRules.MAX_STORED_AGE)),
                Math.max(0, Math.min(hunger, rules.maxHunger())), (kind & ALIVE) != 0, version);
    }

    private static byte kind(Species species, boolean living) {
        return (byte) (species.ordinal() | (living ? ALIVE : 0));
    }

    private int add(long id, String owner, String name, Species species, int age, int hunger, boolean living, long version) {
        if (size == ids.length) {
            resize(ids.length + Math.max(16, ids.length >> 1));
        }
        int slot = size++;
        ids[slot] = id;
        adoptions[slot] = adoption(id, owner, name);
        adoptionBytes += bytes(adoptions[slot]);
        kinds[slot] = kind(species, living);
        ages[slot] = (char) age;
        hungers[slot] = (short) hunger;
        versions[slot] = version;
        if (living) {
            aliveCount++;
        }
        index.add(slot, ids);
        return slot;
    }

    private void resize(int capacity) {
        ids = Arrays.copyOf(ids, capacity);
        versions = Arrays.copyOf(versions, capacity);
        ages = Arrays.copyOf(ages, capacity);
        hungers = Arrays.copyOf(hungers, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
        adoptions = Arrays.copyOf(adoptions, capacity);
    }

    private static long bytes(Adoption a) {
        return a == null ? 0 : 24 + stringBytes(a.name());
    }

    private static long stringBytes(String s) {
        return s == null ? 0 : 24 + 16 + (long) s.length() * (s.chars().allMatch(c -> c < 256) ? 1 : 2);
    }
}
