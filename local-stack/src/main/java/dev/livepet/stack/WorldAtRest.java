package dev.livepet.stack;

import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether a world may be moved or restored: a service that runs during the move would write into topics about to be
 * deleted, a command nobody applied yet would be deleted with them, and a service that runs during a restore would
 * write into the database being replaced. Each check answers why not, in one sentence, or nothing.
 */
final class WorldAtRest {
    private WorldAtRest() {
    }

    /**
     * Why the local world in {@code dataDir} is up: its launcher ({@code world.pid}) or a service (pids/) runs.
     *
     * @param then what to do once it is stopped, e.g. "repartition"
     */
    static Optional<String> localProcesses(Path dataDir, String then) throws IOException {
        Optional<Long> launcher = running(dataDir.resolve("world.pid"), "dev.livepet.stack.WorldMain");
        if (launcher.isPresent()) {
            return Optional.of("the world in " + dataDir + " is up (pid " + launcher.get() + "): stop it with"
                    + " ./livepet down, then " + then);
        }
        Path pids = dataDir.resolve("pids");
        if (Files.isDirectory(pids)) {
            try (Stream<Path> files = Files.walk(pids)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    Optional<Long> service = running(f, "quarkus-run.jar");
                    if (service.isPresent()) {
                        return Optional.of("a service of the world in " + dataDir + " still runs ("
                                + f.getFileName().toString().replace(".pid", "") + ", pid " + service.get()
                                + "): stop it, then " + then);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Why the topics are in use: a service group has members (a simulator or persistence instance is up). */
    static Optional<String> groupMembers(Admin admin) throws Exception {
        Map<String, List<String>> members = ServiceGroups.members(admin);
        if (members.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the world is up: " + members.entrySet().stream()
                .map(e -> "the group " + e.getKey() + " has " + e.getValue().size() + " member(s) (" + String.join(", ", e.getValue()) + ")")
                .collect(Collectors.joining(" and ")) + "; stop every simulator and persistence instance (and the"
                + " viewers), then repartition (a member killed without leaving stays listed until its session times out)");
    }

    /** Why commands would be lost: pet-commands holds records beyond what the simulators committed as applied. */
    static Optional<String> unappliedCommands(Admin admin, int partitions) throws Exception {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(Topics.PET_COMMANDS, p));
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        all.forEach(tp -> {
            latest.put(tp, OffsetSpec.latest());
            earliest.put(tp, OffsetSpec.earliest());
        });
        ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        var ends = admin.listOffsets(latest, committedOnly).all().get(60, TimeUnit.SECONDS);
        var begins = admin.listOffsets(earliest, committedOnly).all().get(60, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> applied = ServiceGroups.simulatorOffsets(admin);
        long unapplied = 0;
        List<Integer> where = new ArrayList<>();
        for (TopicPartition tp : all) {
            OffsetAndMetadata committed = applied.get(tp);
            long from = Math.max(begins.get(tp).offset(), committed == null ? 0 : committed.offset());
            long waiting = ends.get(tp).offset() - from;
            if (waiting > 0) {
                unapplied += waiting;
                where.add(tp.partition());
            }
        }
        if (unapplied == 0) {
            return Optional.empty();
        }
        return Optional.of(unapplied + " command(s) on " + Topics.PET_COMMANDS + " (partitions " + where + ") were not"
                + " applied by the simulators yet and would be lost with the topic: start the world until they are"
                + " (./livepet topics owners shows the lag), stop it, then repartition");
    }

    private static Optional<Long> running(Path pidFile, String commandLineHas) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(commandLineHas)).orElse(true))
                .map(ProcessHandle::pid);
    }
}
