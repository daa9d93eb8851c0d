package dev.livepet.simulator.domain;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;

import java.util.Arrays;

/**
 * The pets of one Kafka partition, in compact memory: one slot per pet across primitive arrays, an id → slot
 * index without boxing, growth by doubling. Dead pets keep their slot (they stay visible) but never tick again.
 * Not thread-safe: one simulator thread owns a partition.
 */
public final class PetPartition {
    public static final int DEFAULT_CAPACITY = 1024;
    private static final Species[] SPECIES = Species.values();

    private final int partition;
    private final WorldRules rules;
    private final PetIndex index;
    private final RecentCommandIds recentCommands;

    private long[] ids;
    private int[] ages;
    private short[] hungers;
    private long[] versions;
    private byte[] species;
    private boolean[] alive;
    private String[] names;
    private String[] owners;
    private int size;
    private int aliveCount;

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
        ages = new int[capacity];
        hungers = new short[capacity];
        versions = new long[capacity];
        species = new byte[capacity];
        alive = new boolean[capacity];
        names = new String[capacity];
        owners = new String[capacity];
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
        if (index.get(command.petId()) >= 0) {
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
        int slot = index.get(command.petId());
        if (slot < 0) {
            return CommandOutcome.refused("there is no pet " + command.petId());
        }
        WorldRules.Feeding feeding = rules.feed(alive[slot], hungers[slot], command.food());
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
            if (!alive[s]) {
                continue;
            }
            int age = rules.tickAge(ages[s]);
            ages[s] = age;
            hungers[s] = (short) rules.tickHunger(hungers[s]);
            versions[s]++;
            Cause cause = Cause.TICK;
            if (rules.diesAt(age)) {
                alive[s] = false;
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
        int slot = index.get(state.id());
        if (slot < 0) {
            add(state.id(), state.owner(), state.name(), state.species(), state.age(), hunger, state.alive(),
                    state.version());
            return true;
        }
        if (state.version() <= versions[slot]) {
            return false;
        }
        if (alive[slot] != state.alive()) {
            aliveCount += state.alive() ? 1 : -1;
        }
        owners[slot] = state.owner();
        names[slot] = state.name();
        species[slot] = (byte) state.species().ordinal();
        ages[slot] = state.age();
        hungers[slot] = (short) hunger;
        alive[slot] = state.alive();
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
        if (size > 0) {
            return 0;
        }
        int seeded = 0;
        for (long id = 1; id <= seedPets; id++) {
            if (PetPartitioner.partitionOf(id, partitionCount) == partition) {
                int slot = add(id, null, SeedPets.name(id), SeedPets.species(id), 0, rules.initialHunger(), true, 1);
                sink.changed(this, slot, Cause.ADOPTED, at, null);
                seeded++;
            }
        }
        return seeded;
    }

    /** The complete snapshot of the pet in {@code slot} after a change. */
    public PetState snapshot(int slot, Cause cause, long at, String commandId) {
        return new PetState(ids[slot], owners[slot], names[slot], SPECIES[species[slot]], ages[slot], hungers[slot],
                alive[slot], versions[slot], cause, at, commandId);
    }

    /** The slot of pet {@code id}, or -1. */
    public int slotOf(long id) {
        return index.get(id);
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
        return alive[slot];
    }

    private int add(long id, String owner, String name, Species kind, int age, int hunger, boolean living, long version) {
        if (size == ids.length) {
            grow();
        }
        int slot = size++;
        ids[slot] = id;
        owners[slot] = owner;
        names[slot] = name;
        species[slot] = (byte) kind.ordinal();
        ages[slot] = age;
        hungers[slot] = (short) hunger;
        alive[slot] = living;
        versions[slot] = version;
        if (living) {
            aliveCount++;
        }
        index.put(id, slot);
        return slot;
    }

    private void grow() {
        int capacity = ids.length * 2;
        ids = Arrays.copyOf(ids, capacity);
        ages = Arrays.copyOf(ages, capacity);
        hungers = Arrays.copyOf(hungers, capacity);
        versions = Arrays.copyOf(versions, capacity);
        species = Arrays.copyOf(species, capacity);
        alive = Arrays.copyOf(alive, capacity);
        names = Arrays.copyOf(names, capacity);
        owners = Arrays.copyOf(owners, capacity);
    }
}
