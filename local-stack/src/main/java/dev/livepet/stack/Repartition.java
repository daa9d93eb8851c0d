package dev.livepet.stack;

import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code ./livepet topics repartition --to N}: moves a stopped world to a new partition count. Everything that can
 * refuse is asked before anything changes; then every pet's last event and every partition's last tick are read,
 * the three pet topics are made anew with N partitions, the pets written back moved ({@link PetMove}) and read back
 * to check, the services' group offsets forgotten and PostgreSQL's old clocks deleted. The services started again
 * find one world with N partitions, its clocks all at one tick.
 *
 * @param database the persistence service's PostgreSQL, null to leave it to the operator
 * @param keepIn   where the census is kept on disk while the world has no topics
 * @param from     a census an earlier move kept (its topics may be gone): finish that move; null for a new one
 */
record Repartition(String bootstrap, int target, ClockRows database, PrintStream out, Path keepIn, Path from) {

    void run() throws Exception {
        long t0 = System.nanoTime();
        long moved;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "livepet-repartition"))) {
            KeptCensus kept;
            Path file;
            if (from == null) {
                Map<String, PetTopics.Shape> shapes = PetTopics.shapes(admin);
                int current = shapes.get(Topics.PET_STATE).partitions();
                refuseUnlessAtRest(admin, shapes, current);
                say("the world is at rest: %s have no member, every command is applied; moving it from %d to %d"
                        + " partitions", ServiceGroups.ALL, current, target);
                kept = new KeptCensus(PetCensus.take(bootstrap, current, "reading " + Topics.PET_STATE, out), shapes,
                        target);
                file = keepIn.resolve("repartition-" + current + "-to-" + target + "-" + System.currentTimeMillis()
                        + ".census.jsonl");
                kept.keep(file);
                say("every pet's last event and every clock kept in %s until the move is checked", file);
            } else {
                kept = KeptCensus.read(from);
                file = from;
                if (kept.target() != target) {
                    throw new MoveRefused(from + " is a move to " + kept.target() + " partitions, not " + target
                            + ": finish it with --to " + kept.target());
                }
                WorldAtRest.groupMembers(admin).ifPresent(why -> {
                    throw new MoveRefused(why);
                });
                say("finishing the move kept in %s: %,d pets from %d to %d partitions", from,
                        kept.census().pets().size(), kept.census().partitions(), target);
            }
            PetCensus before = kept.census();
            PetMove move = PetMove.onto(target, before.clocks(), System.currentTimeMillis());
            say("%,d pets (%,d of them dead) move; the %d old clocks stood at ticks %s, every new one starts at tick %d",
                    before.pets().size(), before.dead(), before.partitions(), tickRange(before), move.tick());

            moved = move.tick();
            try {
                PetTopics.remake(admin, kept.shapes(), target);
                say("%s deleted and made anew with %d partitions and their own configs (%s)", PetTopics.NAMES, target,
                        kept.shapes().values().stream().map(s -> s.name() + " " + s.configs())
                                .collect(Collectors.joining(", ")));
                MovedPetsWriter.write(bootstrap, before, move, out);
                PetCensus after = PetCensus.take(bootstrap, target, "reading the new " + Topics.PET_STATE + " back", out);
                checkArrived(before, move, after);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage() + ". Every pet is kept in " + file + ": once the cause"
                        + " is fixed, ./livepet topics repartition --to " + target + " --from " + file
                        + " (with the same --bootstrap or --data) makes the topics anew and moves them again", e);
            }
            Files.delete(file);
            say("the moved pets are all in the new topics: %s deleted", file.getFileName());

            List<String> forgotten = ServiceGroups.forget(admin);
            say("consumer groups %s deleted with their offsets: the services start from the new topics' beginnings",
                    forgotten.isEmpty() ? "(none had any)" : forgotten);
        }
        if (database != null) {
            int rows = database.forgetAll();
            say("PostgreSQL: %d partition_clocks rows of the old count deleted; the persistence service writes the"
                    + " new clocks and the moved pets (one version up) when it starts", rows);
        } else {
            say("PostgreSQL was not touched: before the persistence service starts, run DELETE FROM partition_clocks"
                    + " on its database (it refuses to start while the clocks record the old count)");
        }
        say("the world now has %d partitions (moved in %.1f s); started again, its clocks go on from tick %d",
                target, (System.nanoTime() - t0) / 1e9, moved);
    }

    /** Every refusal, before anything changes. */
    private void refuseUnlessAtRest(Admin admin, Map<String, PetTopics.Shape> shapes, int current) throws Exception {
        if (target == current) {
            throw new MoveRefused("the world already has " + current + " partitions: nothing to do");
        }
        String mismatch = shapes.values().stream().filter(s -> s.partitions() != current)
                .map(s -> s.name() + " has " + s.partitions()).collect(Collectors.joining(", "));
        if (!mismatch.isEmpty()) {
            throw new MoveRefused(Topics.PET_STATE + " has " + current + " partitions but " + mismatch
                    + ": the world's topics disagree; make them agree before moving it");
        }
        WorldAtRest.groupMembers(admin).ifPresent(why -> {
            throw new MoveRefused(why);
        });
        WorldAtRest.unappliedCommands(admin, current).ifPresent(why -> {
            throw new MoveRefused(why);
        });
        if (database != null) {
            int recorded = database.recordedPartitions(); // reachable now, or refused before anything changes
            if (recorded > 0 && recorded != current) {
                throw new MoveRefused("PostgreSQL's partition_clocks record " + recorded + " partitions but the topics"
                        + " have " + current + ": this is not the world's database, or it belongs to another world");
            }
        }
    }

    /** The new topic holds exactly the moved pets and the new clocks: else say what differs. */
    private static void checkArrived(PetCensus before, PetMove move, PetCensus after) {
        long wrong = 0;
        Long example = null;
        for (PetState last : before.pets().values()) {
            PetState expected = move.of(last, before.clockOf(PetPartitioner.partitionOf(last.id(), before.partitions())));
            if (!expected.equals(after.pets().get(last.id()))) {
                wrong++;
                example = example == null ? last.id() : example;
            }
        }
        long missingClocks = 0;
        for (int p = 0; p < move.partitions(); p++) {
            missingClocks += Objects.equals(after.clockOf(p), move.clockOf(p)) ? 0 : 1;
        }
        long extra = after.pets().size() - (before.pets().size() - wrong);
        if (wrong > 0 || missingClocks > 0 || after.unusable() > 0 || after.pets().size() != before.pets().size()) {
            throw new IllegalStateException(String.format("the new %s does not hold what was written: %,d pets differ"
                    + " or are missing (e.g. pet %s), %,d more than expected, %d tick records wrong, %,d unusable records;"
                    + " the old topics are gone, so keep the world stopped and report this", Topics.PET_STATE, wrong,
                    example, Math.max(0, extra), missingClocks, after.unusable()));
        }
    }

    private static String tickRange(PetCensus census) {
        long min = Long.MAX_VALUE, max = 0;
        for (var c : census.clocks()) {
            long t = c == null ? 0 : c.tick();
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        return min == max ? Long.toString(max) : min + ".." + max;
    }

    private void say(String format, Object... args) {
        out.printf("LivePet ▸ " + format + "%n", args);
        out.flush();
    }
}
