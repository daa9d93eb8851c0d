package dev.livepet.system;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.TickRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a long fault run needs to know of pet-state, kept compact (a few numbers per pet and per partition, a count per
 * feed) so that hours of records fit: each pet's newest event, each partition's newest tick, and every break of the
 * rules that a fault could cause — a pet's version missing or repeated (a lost or doubled event), a partition's tick
 * missing or repeated (a lost or doubled tick, or two owners ticking it), an event whose age is not the tick rule's
 * from the pet's event before, an event at a tick its partition has not reached, a dead pet changed again, a feed
 * command applied more than once.
 */
final class WorldLedger implements Consumer<PetStateRecord> {
    private static final int PROBLEMS_KEPT = 20;

    private record Pet(long version, long tick, int age, boolean alive) {
    }

    private final int partitions;
    private final Map<Long, Pet> pets = new HashMap<>();
    private final Map<Integer, PartitionTick> clocks = new HashMap<>();
    private final Map<String, Integer> feeds = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    private long events;
    private long ticks;
    // the widest step between a partition's consecutive ticks (their times) since measuring began, or -1
    private long widestTickGapMillis = -1;

    /** @param partitions the world's partition count: where each pet's clock is */
    WorldLedger(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public synchronized void accept(PetStateRecord record) {
        if (record instanceof PartitionTick tick) {
            tick(tick);
        } else if (record instanceof PetState event) {
            event(event);
        }
    }

    private void tick(PartitionTick t) {
        ticks++;
        PartitionTick before = clocks.get(t.partition());
        // the first tick seen of a partition may follow compacted ones; from then on every tick is checked
        if (before != null && t.tick() != before.tick() + 1) {
            problem("partition %d: tick %d after %d", t.partition(), t.tick(), before.tick());
        }
        if (before != null && t.tick() == before.tick() + 1 && widestTickGapMillis >= 0) {
            widestTickGapMillis = Math.max(widestTickGapMillis, t.at() - before.at());
        }
        if (t.partitions() != partitions) {
            problem("partition %d: tick %d says %d partitions, the world has %d", t.partition(), t.tick(), t.partitions(), partitions);
        }
        if (before == null || t.tick() > before.tick()) {
            clocks.put(t.partition(), t);
        }
    }

    /** From now on, keeps the widest step in time between two consecutive ticks of any partition. */
    synchronized void measureTickGapsFromNow() {
        widestTickGapMillis = 0;
    }

    /** The widest step between consecutive ticks of a partition since {@link #measureTickGapsFromNow()}. */
    synchronized long widestTickGapMillis() {
        return widestTickGapMillis;
    }

    private void event(PetState s) {
        events++;
        Pet before = pets.get(s.id());
        PartitionTick clock = clocks.get(PetPartitioner.partitionOf(s.id(), partitions));
        // a death is published just before the tick it happens at; every other event holds at a tick already ticked
        if (clock != null && s.tick() > clock.tick() + 1) {
            problem("pet %d: %s at tick %d, its partition's clock at %d", s.id(), s.cause().id(), s.tick(), clock.tick());
        }
        // the first event seen of a pet may follow compacted ones; from then on every event is checked
        if (before != null) {
            if (s.version() != before.version() + 1) {
                problem("pet %d: version %d after %d", s.id(), s.version(), before.version());
            }
            if (!before.alive()) {
                problem("pet %d: changed (%s) after it died", s.id(), s.cause().id());
            }
            if (s.tick() < before.tick()) {
                problem("pet %d: %s at tick %d after an event at tick %d", s.id(), s.cause().id(), s.tick(), before.tick());
            } else if (before.alive()) {
                TickRule rule = clock == null ? null : clock.rule();
                int expected = rule != null ? rule.ageAfter(before.age(), s.tick() - before.tick())
                        : s.tick() == before.tick() ? before.age() : s.age();
                if (s.age() != expected) {
                    problem("pet %d: age %d at tick %d by a %s (v%d), the rule says %d from age %d at tick %d", s.id(),
                            s.age(), s.tick(), s.cause().id(), s.version(), expected, before.age(), before.tick());
                }
            }
        }
        pets.put(s.id(), new Pet(s.version(), s.tick(), s.age(), s.alive()));
        if ((s.cause() == Cause.FED || s.cause() == Cause.TREAT) && s.command() != null) {
            int times = feeds.merge(s.command(), 1, Integer::sum);
            if (times > 1) {
                problem("feed %s applied %d times (pet %d, version %d)", s.command(), times, s.id(), s.version());
            }
        }
    }

    private void problem(String format, Object... args) {
        problemCount++;
        if (problems.size() < PROBLEMS_KEPT) {
            problems.add(String.format(format, args));
        }
    }

    synchronized Map<Long, Long> latestVersions() {
        Map<Long, Long> latest = new HashMap<>(pets.size() * 2);
        pets.forEach((id, p) -> latest.put(id, p.version()));
        return latest;
    }

    synchronized long latestVersion(long petId) {
        Pet p = pets.get(petId);
        return p == null ? 0 : p.version();
    }

    /** Each partition's newest tick. */
    synchronized Map<Integer, Long> latestTicks() {
        Map<Integer, Long> latest = new HashMap<>();
        clocks.forEach((p, t) -> latest.put(p, t.tick()));
        return latest;
    }

    /** Partitions of {@code before} whose newest tick is still the one they had then, and partitions never seen. */
    synchronized List<Integer> untickedSince(Map<Integer, Long> before) {
        List<Integer> unticked = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            PartitionTick now = clocks.get(p);
            if (now == null || now.tick() <= before.getOrDefault(p, 0L)) {
                unticked.add(p);
            }
        }
        return unticked;
    }

    /** The pets alive as their last event says. */
    synchronized List<Long> living() {
        return pets.entrySet().stream().filter(e -> e.getValue().alive()).map(Map.Entry::getKey).toList();
    }

    /** How many times the feed command was applied (0 while it is still on its way). */
    synchronized int timesApplied(String commandId) {
        return feeds.getOrDefault(commandId, 0);
    }

    synchronized long events() {
        return events;
    }

    synchronized long ticks() {
        return ticks;
    }

    synchronized int pets() {
        return pets.size();
    }

    /** The first breaks of the rules seen, and how many there were in all. */
    synchronized String problems() {
        return problemCount == 0 ? "" : problemCount + " problem(s), the first: " + String.join("; ", problems);
    }
}
