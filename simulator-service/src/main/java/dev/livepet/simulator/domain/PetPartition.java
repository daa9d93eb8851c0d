package dev.livepet.simulator.domain;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pets of one Kafka partition and its tick clock, in compact memory: one slot per pet across primitive arrays
 * holding the pet's last event (id, version, age, hunger, the tick it holds at, species and life, and for an adopted
 * pet its name and owner), an id → slot index that stores only ints, and the schedule of deaths. Nothing is done per
 * pet per tick: a pet's current age and hunger follow from its last event and the clock by the contract's
 * {@link TickRule}, derived when a command needs them, and a tick only visits the pets that die at it.
 * About 47 bytes a seeded pet: id and version 8 each, age and hunger 2 each, event tick 4, species and life 1, a
 * reference 4 (null for a seeded pet, whose owner is none and whose name follows from its id), the death schedule 8,
 * the index 5 to 11. Dead pets keep their slot (they stay visible).
 * Not thread-safe: one simulator thread owns a partition.
 */
public final class PetPartition {
    public static final int DEFAULT_CAPACITY = 1024;
    private static final Species[] SPECIES = Species.values();
    private static final int ALIVE = 0x80;
    private static final int SPECIES_BITS = 0x7F;
    private static final int[] NO_SLOTS = new int[0];

    private final int partition;
    private final WorldRules rules;
    private final TickRule tickRule;
    private final PetIndex index;
    private final RecentCommandIds recentCommands;
    private final TickClock clock = new TickClock();
    private final DeathSchedule deaths = new DeathSchedule();
    // one String per player, however many pets they own
    private final Map<String, String> owners = new HashMap<>();

    private long[] ids;
    private long[] versions;
    private char[] ages;
    private short[] hungers;
    private int[] ticks;
    private byte[] kinds;
    private Adoption[] adoptions;
    private int size;
    private int aliveCount;
    private long adoptionBytes;
    // restored pets replace each other in any order: their deaths are scheduled once, before the next tick
    private boolean deathsUnscheduled;

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
        this.tickRule = rules.tickRule();
        this.recentCommands = new RecentCommandIds(recentCommandIds);
        int capacity = Math.max(1, initialCapacity);
        this.index = new PetIndex(capacity);
        ids = new long[capacity];
        versions = new long[capacity];
        ages = new char[capacity];
        hungers = new short[capacity];
        ticks = new int[capacity];
        kinds = new byte[capacity];
        adoptions = new Adoption[capacity];
    }

    /** Applies a player's command at the clock's tick; a command id seen recently is not applied again. */
    public CommandOutcome apply(PetCommand command, long at, PetChangeSink sink) {
        if (command instanceof AdoptCommand adopt) {
            return adopt(adopt, at, sink);
        }
        return feed((FeedCommand) command, at, sink);
    }

    /** A player's new pet, born at the clock's tick: an {@link Cause#ADOPTED} event of version 1. */
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
                rules.initialHunger(), (int) clock.tick(), true, 1);
        recentCommands.remember(command.commandId());
        sink.changed(partition, event(slot, Cause.ADOPTED, at, command.commandId()));
        return CommandOutcome.APPLIED;
    }

    /**
     * A meal or a treat: a {@link Cause#FED} or {@link Cause#TREAT} event at the clock's tick holding the pet's age
     * there and its hunger there less the food. A dead pet is not fed (the command is remembered, nothing published).
     */
    public CommandOutcome feed(FeedCommand command, long at, PetChangeSink sink) {
        if (recentCommands.contains(command.commandId())) {
            return CommandOutcome.DUPLICATE;
        }
        int slot = slotOf(command.petId());
        if (slot < 0) {
            return CommandOutcome.refused("there is no pet " + command.petId());
        }
        WorldRules.Feeding feeding = rules.feed(alive(slot), hunger(slot), command.food());
        recentCommands.remember(command.commandId());
        if (feeding.ignored()) {
            return CommandOutcome.IGNORED;
        }
        // the age at the clock's tick: the tick its death comes at stays the same; never before the pet's last event
        // (a meal between the shares of a tick's deaths holds at that tick, whose record a crash may have lost)
        setEvent(slot, age(slot), feeding.hunger(), Math.max(clock.tick(), ticks[slot]));
        versions[slot]++;
        sink.changed(partition, event(slot, feeding.cause(), at, command.commandId()));
        return CommandOutcome.APPLIED;
    }

    /**
     * Advances the clock by one tick, happening at {@code at}, and publishes a {@link Cause#DIED} event for each pet
     * that dies at it.
     *
     * @return how many pets died
     */
    public int tick(long at, PetChangeSink sink) {
        int[] died = tick(at);
        for (int slot : died) {
            sink.changed(partition, event(slot, Cause.DIED, at, null));
        }
        return died.length;
    }

    /**
     * Advances the clock by one tick, happening at {@code at}: each pet that dies at it takes its last event there,
     * its age and hunger at this tick, life over, the next version. Visits only those pets.
     *
     * @return the slots of the pets that died, whose {@link #event} with {@link Cause#DIED} is to be published
     */
    public int[] tick(long at) {
        if (deathsUnscheduled) {
            scheduleDeaths();
        }
        long tick = clock.advance(at);
        int[] died = NO_SLOTS;
        int count = 0;
        while (deaths.dueBy(tick)) {
            int slot = deaths.takeFirst();
            if (!alive(slot)) {
                continue;
            }
            setEvent(slot, age(slot), hunger(slot), tick);
            kinds[slot] = (byte) (kinds[slot] & SPECIES_BITS);
            versions[slot]++;
            aliveCount--;
            if (count == died.length) {
                died = Arrays.copyOf(died, Math.max(16, count * 2));
            }
            died[count++] = slot;
        }
        return count == died.length ? died : Arrays.copyOf(died, count);
    }

    /**
     * Loads a pet's event read back from the state topic; the highest version of a pet wins. The command id it carries
     * is remembered so that a retry of that command is not applied again.
     *
     * @return true when the event was taken
     */
    public boolean restore(PetState event) {
        recentCommands.remember(event.command());
        int hunger = Math.max(0, Math.min(event.hunger(), Short.MAX_VALUE));
        int age = Math.max(0, Math.min(event.age(), WorldRules.MAX_STORED_AGE));
        int tick = (int) Math.min(event.tick(), TickClock.MAX_TICK);
        int slot = slotOf(event.id());
        if (slot < 0) {
            deathsUnscheduled = true;
            add(event.id(), event.owner(), event.name(), event.species(), age, hunger, tick, event.alive(), event.version());
            return true;
        }
        if (event.version() <= versions[slot]) {
            return false;
        }
        if (alive(slot) != event.alive()) {
            aliveCount += event.alive() ? 1 : -1;
        }
        adoptionBytes -= bytes(adoptions[slot]);
        adoptions[slot] = adoption(event.id(), event.owner(), event.name());
        adoptionBytes += bytes(adoptions[slot]);
        kinds[slot] = kind(event.species(), event.alive());
        setEvent(slot, age, hunger, tick);
        versions[slot] = event.version();
        deathsUnscheduled = true;
        return true;
    }

    /** Moves the clock to a tick read back from the state topic or a snapshot, unless it is there already. */
    public void restoreClock(PartitionTick tick) {
        clock.restore(tick.tick(), tick.at());
    }

    void restoreClock(long tick, long at) {
        clock.restore(tick, at);
    }

    /**
     * Creates the ownerless pets with the ids {@code seedIds[from..to)} that this partition does not have yet, born at
     * the clock's tick, each published as {@link Cause#ADOPTED}. The ids must live in this partition.
     *
     * @return how many pets were created
     */
    public int seed(int[] seedIds, int from, int to, long at, PetChangeSink sink) {
        // room for every seed id still to come at once: seeding in steps must not grow the arrays step by step
        if (ids.length < size + (seedIds.length - from)) {
            resize(size + (seedIds.length - from));
        }
        int tick = (int) clock.tick();
        int seeded = 0;
        for (int i = from; i < to; i++) {
            int id = seedIds[i];
            if (slotOf(id) >= 0) {
                continue; // seeded before a crash, or adopted by a player
            }
            int slot = add(id, null, null, SeedPets.species(id), 0, rules.initialHunger(), tick, true, 1);
            sink.changed(partition, new PetState(id, null, SeedPets.name(id), SeedPets.species(id), 0,
                    rules.initialHunger(), true, 1, Cause.ADOPTED, tick, at, null));
            seeded++;
        }
        return seeded;
    }

    /** Gives back the room a partition grew into but does not use, e.g. after a restore or seeding. */
    public void trimToSize() {
        if (size < ids.length) {
            resize(Math.max(1, size));
        }
        if (deathsUnscheduled) {
            scheduleDeaths();
        }
        deaths.trimToSize();
    }

    /** The pet in {@code slot} as its last event: the state at the event's tick. */
    public PetState event(int slot, Cause cause, long at, String commandId) {
        return new PetState(ids[slot], owner(slot), name(slot), species(slot), ages[slot], hungers[slot],
                alive(slot), versions[slot], cause, ticks[slot], at, commandId);
    }

    /** The pet in {@code slot} at the clock's tick, derived from its last event by the tick rule. */
    public PetState now(int slot) {
        return tickRule.stateAt(event(slot, Cause.TICK, clock.at(), null), clock.tick(), clock.at());
    }

    /** The slot of pet {@code id}, or -1. */
    public int slotOf(long id) {
        return index.get(id, ids);
    }

    public int partition() {
        return partition;
    }

    public TickClock clock() {
        return clock;
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

    /** Deaths the schedule holds: one per living pet once it is up to date. */
    int deathsScheduled() {
        return deaths.size();
    }

    /**
     * Bytes this partition's pets hold on the heap: the arrays, the index, the death schedule, the adopted pets'
     * names and owners (counted once per distinct owner), the remembered command ids. Estimated for a 64-bit JVM
     * with compressed references.
     */
    public long heapBytes() {
        return 16L * 7 + 8L * ids.length * 2 + 2L * ages.length * 2 + 4L * ticks.length + kinds.length
                + 4L * adoptions.length + index.bytes() + deaths.bytes() + adoptionBytes + recentCommands.bytes();
    }

    public long id(int slot) {
        return ids[slot];
    }

    /** The pet's age at the clock's tick (a dead pet's stays at its death). */
    public int age(int slot) {
        return alive(slot) ? tickRule.ageAfter(ages[slot], clock.tick() - ticks[slot]) : ages[slot];
    }

    /** The pet's hunger at the clock's tick (a dead pet's stays at its death). */
    public int hunger(int slot) {
        return alive(slot) ? tickRule.hungerAfter(hungers[slot], clock.tick() - ticks[slot]) : hungers[slot];
    }

    /** The age stored with the pet's last event. */
    int eventAge(int slot) {
        return ages[slot];
    }

    /** The hunger stored with the pet's last event. */
    int eventHunger(int slot) {
        return hungers[slot];
    }

    /** The partition tick the pet's last event holds at. */
    public long eventTick(int slot) {
        return ticks[slot];
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

    /** The stored name and owner, or null for a seeded pet (a snapshot writes only the others). */
    Adoption adoption(int slot) {
        return adoptions[slot];
    }

    /** Species and life of a slot in one byte, as a snapshot stores them. */
    byte kind(int slot) {
        return kinds[slot];
    }

    /** The remembered command ids, oldest first, as a snapshot stores them. */
    public List<String> recentCommandIds() {
        return recentCommands.oldestFirst();
    }

    void rememberCommand(String commandId) {
        recentCommands.remember(commandId);
    }

    /**
     * Adds a pet read from a snapshot, clamped as {@link #restore(PetState)} clamps an event.
     *
     * @throws IllegalArgumentException when the id is not positive, already here, or the kind names no species
     */
    void addFromSnapshot(long id, String owner, String name, byte kind, int age, int hunger, int tick, long version) {
        if ((kind & SPECIES_BITS) >= SPECIES.length) {
            throw new IllegalArgumentException("pet " + id + " has no species number " + (kind & SPECIES_BITS));
        }
        if (id <= 0 || slotOf(id) >= 0) {
            throw new IllegalArgumentException("pet id " + id + " is not positive or appears twice");
        }
        if (tick < 0) {
            throw new IllegalArgumentException("pet " + id + " holds at tick " + tick);
        }
        deathsUnscheduled = true;
        add(id, owner, name, SPECIES[kind & SPECIES_BITS], Math.max(0, Math.min(age, WorldRules.MAX_STORED_AGE)),
                Math.max(0, Math.min(hunger, Short.MAX_VALUE)), tick, (kind & ALIVE) != 0, version);
    }

    /** The tick at which the living pet in {@code slot} dies, at the earliest the clock's next. */
    private int deathTick(int slot) {
        long dies = Math.max((long) ticks[slot] + rules.ticksToLive(ages[slot]), clock.tick() + 1);
        return (int) Math.min(dies, TickClock.MAX_TICK);
    }

    /** Schedules the death of every living pet at once, after pets were restored in any order. */
    private void scheduleDeaths() {
        int[] dueAt = new int[aliveCount];
        int[] slots = new int[aliveCount];
        int n = 0;
        for (int s = 0; s < size; s++) {
            if (alive(s)) {
                dueAt[n] = deathTick(s);
                slots[n++] = s;
            }
        }
        deaths.rebuild(dueAt, slots, n);
        deathsUnscheduled = false;
    }

    private void setEvent(int slot, int age, int hunger, long tick) {
        ages[slot] = (char) Math.min(age, WorldRules.MAX_STORED_AGE);
        hungers[slot] = (short) hunger;
        ticks[slot] = (int) tick;
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

    private static byte kind(Species species, boolean living) {
        return (byte) (species.ordinal() | (living ? ALIVE : 0));
    }

    private int add(long id, String owner, String name, Species species, int age, int hunger, int tick, boolean living,
                    long version) {
        if (size == ids.length) {
            resize(ids.length + Math.max(16, ids.length >> 1));
        }
        int slot = size++;
        ids[slot] = id;
        adoptions[slot] = adoption(id, owner, name);
        adoptionBytes += bytes(adoptions[slot]);
        kinds[slot] = kind(species, living);
        setEvent(slot, age, hunger, tick);
        versions[slot] = version;
        index.add(slot, ids);
        if (living) {
            aliveCount++;
            if (!deathsUnscheduled) {
                deaths.add(deathTick(slot), slot);
            }
        }
        return slot;
    }

    private void resize(int capacity) {
        ids = Arrays.copyOf(ids, capacity);
        versions = Arrays.copyOf(versions, capacity);
        ages = Arrays.copyOf(ages, capacity);
        hungers = Arrays.copyOf(hungers, capacity);
        ticks = Arrays.copyOf(ticks, capacity);
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
