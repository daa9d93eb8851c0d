package dev.livepet.bench;

import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.livepet.bench.BenchProcess.CLOCK_TICKS_PER_SECOND;
import static dev.livepet.bench.BenchProcess.cpuTicks;
import static dev.livepet.stack.LocalStack.deleteTree;
import static dev.livepet.bench.BenchProcess.metrics;
import static dev.livepet.bench.BenchProcess.say;
import static dev.livepet.bench.BenchProcess.seconds;
import static dev.livepet.bench.BenchProcess.sleep;

/**
 * {@code ./livepet bench simulator --pets N --minutes M}: one simulator instance against a fresh local stack in a
 * temporary folder. Seeds N pets (showing progress), runs M minutes counting the events and tick records it commits
 * to pet-state (this process reads them, read_committed), reading its own metrics, its CPU from /proc and its heap
 * after a full GC from jcmd, then kills it with SIGKILL, starts it again and times the restore from its snapshots
 * until it is ready; then kills it once more and times a restore with snapshots off (a replay of all of pet-state).
 * Every partition's clock must go on from its last committed tick through both kills. Prints one table of figures.
 */
public final class SimulatorBench {
    private static final String SERVICE = "simulator-service";
    private static final int RESTORE_LIMIT_SECONDS = 600;

    private final int pets;
    private final double minutes;
    private final int partitions;
    private final double onTimeMillis;
    private final String javaOptions;
    private final boolean keep;
    private final int settleSeconds;
    private final Path home;
    private final Map<String, String> results = new LinkedHashMap<>();
    private final PartitionClocks clocks = new PartitionClocks();
    private WatchedPetStates stream;

    private SimulatorBench(int pets, double minutes, int partitions, double onTimeMillis, String javaOptions,
                           boolean keep, int settleSeconds, Path home) {
        this.settleSeconds = settleSeconds;
        this.pets = pets;
        this.minutes = minutes;
        this.partitions = partitions;
        this.onTimeMillis = onTimeMillis;
        this.javaOptions = javaOptions;
        this.keep = keep;
        this.home = home;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args, "bench simulator", "--pets N (1000000) --minutes M (3)"
                        + " --partitions P (240) --on-time-ms T (100) --settle-seconds S (10) --java-opts '-Xmx2g ...'"
                        + " --keep (keep the temporary folder)",
                Set.of("--pets", "--minutes", "--partitions", "--on-time-ms", "--settle-seconds", "--java-opts"),
                Set.of("--keep"));
        new SimulatorBench(options.integer("--pets", 1_000_000), options.number("--minutes", 3),
                options.integer("--partitions", Topics.DEFAULT_PARTITIONS), options.number("--on-time-ms", 100),
                options.text("--java-opts", ""), options.flag("--keep"), options.integer("--settle-seconds", 10),
                BenchOptions.home()).run();
    }

    private void run() throws Exception {
        Path dir = BenchProcess.workDirectory("livepet-bench");
        Path logs = dir.resolve("logs");
        say("benchmark of one simulator instance: %,d pets, %s minutes, %d partitions; data and logs in %s",
                pets, minutes, partitions, dir);
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(new LocalStackSettings(dir.resolve("stack"), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), partitions))) {
            say("Kafka and PostgreSQL ready in %.1f s", seconds(t0));
            Map<String, String> env = BenchProcess.serviceEnvironment(stack);
            env.put("LIVEPET_SIMULATOR_SEED_PETS", String.valueOf(pets));
            env.put("LIVEPET_SIMULATOR_INSTANCE_ID", "bench");
            env.put("LIVEPET_SERVICE_JAVA_OPTS", javaOptions);
            int port = LocalStackSettings.freePort();

            // read from the start, so the seeding's events are counted too; no pet is watched, every record is counted
            stream = WatchedPetStates.follow(stack, new long[0], new WatchedPetStates.Records() {
                @Override
                public void event(PetState event) {
                }

                @Override
                public void tick(PartitionTick tick) {
                    clocks.tick(tick.partition(), tick.tick());
                }
            });
            ServiceProcess simulator = ServiceProcess.start(SERVICE, home, port, env, logs, dir.resolve("pids"));
            try {
                seed(simulator);
                measure(simulator);
                simulator.kill();
                Files.copy(simulator.log(), logs.resolve(SERVICE + "-before-kill.log"));
                say("killed the simulator with SIGKILL; starting it again (restoring from its snapshots)");
                simulator = ServiceProcess.start(SERVICE, home, port, env, logs, dir.resolve("pids"));
                restore(simulator, "restore after kill -9, from snapshots");
                // the same world once more without snapshots: the restore replays pet-state from its beginning
                sleep(settleSeconds * 1000L);
                simulator.kill();
                Files.copy(simulator.log(), logs.resolve(SERVICE + "-before-second-kill.log"));
                say("killed it again; starting it with snapshots off (replaying all of %s)", Topics.PET_STATE);
                Map<String, String> replaying = new LinkedHashMap<>(env);
                replaying.put("LIVEPET_SIMULATOR_SNAPSHOT_EVERY_TICKS", "0");
                simulator = ServiceProcess.start(SERVICE, home, port, replaying, logs, dir.resolve("pids"));
                restore(simulator, "restore after kill -9, full replay");
                awaitTicksAfterRestore();
            } finally {
                simulator.stop();
                stream.close();
            }
        } finally {
            if (!keep) {
                deleteTree(dir);
            }
        }
        System.out.println();
        System.out.println("LivePet simulator benchmark, " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
        int width = results.keySet().stream().mapToInt(String::length).max().orElse(10);
        results.forEach((k, v) -> System.out.printf("  %-" + width + "s  %s%n", k, v));
    }

    /** Waits until the simulator is ready, printing how many pets it has seeded so far. */
    private void seed(ServiceProcess simulator) {
        long start = System.nanoTime();
        long lastPrint = 0;
        while (!isReady(simulator)) {
            requireAlive(simulator);
            if (System.nanoTime() - lastPrint > 1_000_000_000L) {
                lastPrint = System.nanoTime();
                double seeded = metrics(simulator).getOrDefault("livepet_simulator_seed_pets_total", 0.0);
                say("  %5.1f s  seeded %,.0f of %,d pets", seconds(start), seeded, pets);
            }
            sleep(100);
        }
        double total = seconds(start);
        Map<String, Double> m = metrics(simulator);
        double seeded = m.getOrDefault("livepet_simulator_seed_pets_total", 0.0);
        // the simulator's own timing: from the first seeded pet created to the last one committed
        double seeding = m.getOrDefault("livepet_simulator_seed_time_seconds_sum", 0.0);
        say("ready after %.1f s: %,.0f pets seeded in %.1f s", total, seeded, seeding);
        results.put("pets", String.format("%,.0f", m.getOrDefault("livepet_simulator_pets_owned", 0.0)));
        results.put("seeding rate", seeding <= 0 ? "n/a (nothing seeded)" : String.format(
                "%,.0f pets/s (%,.0f pets created, sent and committed in %.1f s; process start to ready %.1f s)",
                seeded / seeding, seeded, seeding, total));
    }

    private void measure(ServiceProcess simulator) throws IOException, InterruptedException {
        long runNanos = (long) (minutes * 60e9);
        say("letting it settle for %d s (JIT, first commits), then measuring for %s minutes",
                settleSeconds, minutes);
        sleep(settleSeconds * 1000L);
        Map<String, Double> first = metrics(simulator);
        long eventsFirst = stream.events();
        long ticksFirst = stream.ticks();
        long cpuFirst = cpuTicks(simulator.pid());
        long brokerCpuFirst = cpuTicks(ProcessHandle.current().pid());
        long start = System.nanoTime();
        Map<String, Double> previous = first;
        long previousNanos = start;
        long previousCpu = cpuFirst;
        long previousEvents = eventsFirst;
        long previousTicks = ticksFirst;
        int partitions = stream.partitions();
        double interval = BenchProcess.TICK_INTERVAL.toSeconds();
        while (System.nanoTime() - start < runNanos) {
            sleep(Math.min(15_000, Math.max(1, (runNanos - (System.nanoTime() - start)) / 1_000_000)));
            requireAlive(simulator);
            Map<String, Double> now = metrics(simulator);
            long cpu = cpuTicks(simulator.pid());
            long events = stream.events();
            long ticks = stream.ticks();
            long t = System.nanoTime();
            double secs = (t - previousNanos) / 1e9;
            TickLateness l = TickLateness.between(previous, now, onTimeMillis);
            say("  %5.0f s  %,.0f pets alive, %,.0f events/s, %,.1f ticks/s (%.0f %% of one per partition per %.0f s),"
                            + " ticks on time %.2f%%, p99 lateness %s, CPU %.2f cores",
                    (t - start) / 1e9, now.getOrDefault("livepet_simulator_pets_alive", 0.0),
                    (events - previousEvents) / secs, (ticks - previousTicks) / secs,
                    100 * PartitionClocks.pace(ticks - previousTicks, secs, partitions, interval), interval,
                    l.onTimePercent(), l.p99(), (cpu - previousCpu) / (double) CLOCK_TICKS_PER_SECOND / secs);
            previous = now;
            previousNanos = t;
            previousCpu = cpu;
            previousEvents = events;
            previousTicks = ticks;
        }
        double secs = (previousNanos - start) / 1e9;
        TickLateness l = TickLateness.between(first, previous, onTimeMillis);
        long cpu = previousCpu - cpuFirst;
        long brokerCpu = cpuTicks(ProcessHandle.current().pid()) - brokerCpuFirst;
        long ticks = previousTicks - ticksFirst;
        results.put("run", String.format("%.0f s, after %d s of settling once ready", secs, settleSeconds));
        results.put("how fast the world lived", String.format("%,d tick records = %.1f %% of one per partition per %.0f s"
                        + " (%d partitions); %,.0f whole intervals skipped (the simulator's count)", ticks,
                100 * PartitionClocks.pace(ticks, secs, partitions, interval), interval, partitions,
                delta(first, previous, "livepet_simulator_tick_skips_total")));
        results.put("ticks on time", l.count() <= 0 ? "n/a (no livepet_simulator_tick_lateness_seconds in its metrics)"
                : String.format("%.2f%% of %,.0f started within %.0f ms of due", l.onTimePercent(), l.count(), onTimeMillis));
        results.put("tick lateness p50 / p99", l.p50() + " / " + l.p99() + " (histogram buckets)");
        results.put("events/s, ticks/s on pet-state", String.format("%,.1f, %,.2f (read back, read_committed: %,d events,"
                + " %,d tick records)", (previousEvents - eventsFirst) / secs, ticks / secs, previousEvents - eventsFirst, ticks));
        results.put("snapshots", String.format("%,.0f partition snapshots, %,.1f MiB (before compression) in the run",
                delta(first, previous, "livepet_simulator_snapshots_written_total"),
                delta(first, previous, "livepet_simulator_snapshots_bytes_total") / (1 << 20)));
        double timed = delta(first, previous, "livepet_simulator_tick_duration_seconds_count");
        results.put("tick duration (mean)", timed <= 0 ? "n/a (no livepet_simulator_tick_duration_seconds in its metrics)"
                : String.format("%.1f ms (the simulator's own timing of a tick)",
                1000 * delta(first, previous, "livepet_simulator_tick_duration_seconds_sum") / timed));
        results.put("simulator CPU", String.format("%.2f cores of %d", cpu / (double) CLOCK_TICKS_PER_SECOND / secs,
                Runtime.getRuntime().availableProcessors()));
        results.put("broker+PostgreSQL launcher CPU", String.format("%.2f cores (the broker runs in this JVM)",
                brokerCpu / (double) CLOCK_TICKS_PER_SECOND / secs));
        heapAfterGc(simulator, previous.getOrDefault("livepet_simulator_pets_owned", 0.0),
                metrics(simulator).getOrDefault("livepet_simulator_pets_heap", 0.0));
    }

    /**
     * The live heap: {@code GC.class_histogram} runs a full GC and sums every object still reachable. The "used" of
     * {@code GC.heap_info} right after {@code GC.run} is shown too, but it already holds what the running loop
     * allocated since (tens of MiB a second at 200,000 records/s).
     */
    private void heapAfterGc(ServiceProcess simulator, double owned, double petBytes) throws IOException, InterruptedException {
        jcmd(simulator.pid(), "GC.run");
        String info = jcmd(simulator.pid(), "GC.heap_info");
        String histogram = jcmd(simulator.pid(), "GC.class_histogram");
        Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
        Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
        if (total.find() && owned > 0) {
            double bytes = Long.parseLong(total.group(1));
            results.put("live heap after full GC", String.format("%,.0f MiB = %.0f bytes per pet (every reachable object of the JVM / pets)",
                    bytes / (1 << 20), bytes / owned));
        } else {
            results.put("live heap after full GC", "unknown (jcmd GC.class_histogram said: "
                    + histogram.strip().lines().findFirst().orElse("") + ")");
        }
        if (used.find() && owned > 0) {
            double bytes = Long.parseLong(used.group(1)) * 1024.0;
            results.put("heap used just after GC.run", String.format("%,.0f MiB = %.0f bytes per pet (includes new garbage)",
                    bytes / (1 << 20), bytes / owned));
        }
        // what lives on the heap: the biggest classes after the GC, by bytes
        results.put("largest on the heap", histogram.lines().filter(l -> l.matches("\\s*\\d+:\\s+\\d+\\s+\\d+\\s+\\S+.*")).limit(6)
                .map(l -> l.trim().split("\\s+")).map(f -> String.format("%s %,.1f MiB", shortName(f[3]), Long.parseLong(f[2]) / 1048576.0))
                .reduce((a, b) -> a + ", " + b).orElse("unknown"));
        results.put("pets' own heap", String.format("%,.0f MiB = %.1f bytes per pet (the partitions' arrays, from the simulator's estimate)",
                petBytes / (1 << 20), owned > 0 ? petBytes / owned : 0));
    }

    private static String shortName(String jvmName) {
        return switch (jvmName) {
            case "[B" -> "byte[]";
            case "[J" -> "long[]";
            case "[I" -> "int[]";
            case "[C" -> "char[]";
            case "[S" -> "short[]";
            default -> jvmName.startsWith("[L") ? jvmName.substring(jvmName.lastIndexOf('.') + 1).replace(";", "[]")
                    : jvmName.substring(jvmName.lastIndexOf('.') + 1);
        };
    }

    private void restore(ServiceProcess simulator, String label) {
        long start = System.nanoTime();
        while (!isReady(simulator)) {
            requireAlive(simulator);
            if (seconds(start) > RESTORE_LIMIT_SECONDS) {
                results.put(label, String.format("not ready after %d s (gave up)", RESTORE_LIMIT_SECONDS));
                return;
            }
            sleep(100);
        }
        double total = seconds(start);
        Map<String, Double> m = metrics(simulator);
        double restored = m.getOrDefault("livepet_simulator_restore_pets_total", 0.0);
        double restoreSeconds = m.getOrDefault("livepet_simulator_restore_time_seconds_sum", 0.0);
        double fromSnapshots = m.getOrDefault("livepet_simulator_restore_snapshot_pets_total", 0.0);
        double records = m.getOrDefault("livepet_simulator_restore_state_records_total", 0.0);
        say("ready again after %.1f s (%,.0f pets restored in %.1f s: %,.0f from snapshots, then %,.0f records of %s)",
                total, restored, restoreSeconds, fromSnapshots, records, Topics.PET_STATE);
        results.put(label, String.format("%.1f s from process start to ready; restoring %,.0f pets took %.1f s"
                        + " (%,.0f from snapshots, then %,.0f records of %s)",
                total, restored, restoreSeconds, fromSnapshots, records, Topics.PET_STATE));
    }

    /**
     * After the last restore: waits until every partition has ticked again (two intervals and a minute at most), then
     * says whether each clock went on from its last committed tick through the kills.
     */
    private void awaitTicksAfterRestore() {
        java.util.Map<Integer, Long> atReady = clocks.lastTicks();
        long start = System.nanoTime();
        while (seconds(start) < 2 * BenchProcess.TICK_INTERVAL.toSeconds() + 60) {
            java.util.Map<Integer, Long> now = clocks.lastTicks();
            if (now.size() == stream.partitions() && atReady.entrySet().stream().allMatch(e -> now.get(e.getKey()) > e.getValue())) {
                break;
            }
            sleep(200);
        }
        results.put("partition clocks through both kills", String.format("%,d tick records read in all: %,d tick numbers"
                        + " missed, %,d repeated (each clock goes on from its last committed tick)", clocks.ticks(),
                clocks.missed(), clocks.repeated()));
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return TickLateness.delta(before, after, name);
    }

    private static boolean isReady(ServiceProcess simulator) {
        return simulator.isAlive() && simulator.isReady();
    }

    private static void requireAlive(ServiceProcess simulator) {
        if (!simulator.isAlive()) {
            throw new IllegalStateException("the simulator stopped; the end of " + simulator.log() + ":\n" + simulator.tail(30));
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

}
