package dev.livepet.bench;

import dev.livepet.stack.LocalStack;
import dev.livepet.stack.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a benchmark reads from the OS and the JVM about a service process: readiness, CPU, live heap. */
public final class BenchProcess {
    static final long CLOCK_TICKS_PER_SECOND = 100;
    /** The world's tick interval in every benchmark: given to every service, so the figures can count on it. */
    static final Duration TICK_INTERVAL = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

    private BenchProcess() {
    }

    /** The stack's settings for the services, with the benchmarks' tick interval. */
    static Map<String, String> serviceEnvironment(LocalStack stack) {
        Map<String, String> env = new LinkedHashMap<>(stack.serviceEnvironment());
        env.put("LIVEPET_WORLD_TICK_INTERVAL", TICK_INTERVAL.toSeconds() + "s");
        return env;
    }

    /**
     * A viewer's settings as in a local world, for a viewer on {@code port}: mail stays in the process, one random
     * session key for the run.
     */
    static Map<String, String> viewerEnvironment(Map<String, String> env, int port) {
        Map<String, String> viewer = new LinkedHashMap<>(env);
        viewer.put("QUARKUS_MAILER_MOCK", "true");
        viewer.put("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL", "http://localhost:" + port);
        byte[] sessionKey = new byte[32];
        new SecureRandom().nextBytes(sessionKey);
        viewer.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", HexFormat.of().formatHex(sessionKey));
        return viewer;
    }

    static void awaitReady(ServiceProcess service, Duration atMost) {
        long start = System.nanoTime();
        while (!service.isReady()) {
            if (!service.isAlive()) {
                throw new IllegalStateException(service.name() + " stopped; the end of " + service.log() + ":\n" + service.tail(30));
            }
            if (seconds(start) > atMost.toSeconds()) {
                throw new IllegalStateException(service.name() + " was not ready within " + atMost + ":\n" + service.tail(30));
            }
            sleep(250);
        }
    }

    /** User plus system CPU time of a process, in clock ticks (fields 14 and 15 of /proc/pid/stat). */
    static long cpuTicks(long pid) {
        return cpuTicks(pid, false);
    }

    /** The same, plus its children that exited (fields 16 and 17: e.g. PostgreSQL's finished backends); 0 if gone. */
    static long cpuTicks(long pid, boolean withExitedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return withExitedChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** PostgreSQL's CPU ticks: the postmaster with its exited children, plus its running backends; 0 if gone. */
    static long postgresCpuTicks(Path postgresDir) {
        long postmaster = postmasterPid(postgresDir);
        if (postmaster < 0) {
            return 0;
        }
        long ticks = cpuTicks(postmaster, true);
        for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
            ticks += cpuTicks(child.pid(), false);
        }
        return ticks;
    }

    /** PostgreSQL's memory: the proportional set size (shared buffers split among the processes) of all its processes. */
    static long postgresMemoryBytes(Path postgresDir) {
        long postmaster = postmasterPid(postgresDir);
        if (postmaster < 0) {
            return 0;
        }
        long bytes = memoryBytes(postmaster, "smaps_rollup", "Pss:");
        for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
            bytes += memoryBytes(child.pid(), "smaps_rollup", "Pss:");
        }
        return bytes;
    }

    /** A process's resident set size (VmRSS of /proc/pid/status); 0 if gone. */
    static long rssBytes(long pid) {
        return memoryBytes(pid, "status", "VmRSS:");
    }

    private static long memoryBytes(long pid, String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), file))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read
        }
        return 0;
    }

    private static long postmasterPid(Path postgresDir) {
        try {
            return Long.parseLong(Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** What a viewer skipped of pet-state since it started because it fell more than a tick behind, for the output. */
    static String viewerSkips(ServiceProcess viewer) {
        Map<String, Double> m = metrics(viewer);
        return String.format("%,.0f partition skips, %,.0f records left unread (a partition more than a tick behind "
                        + "skips to its end)", m.getOrDefault("livepet_viewer_stream_skips_total", 0.0),
                m.getOrDefault("livepet_viewer_stream_skipped_records_total", 0.0));
    }

    /** What the viewer says it coalesced for slow browsers (any of its metrics named so), for the output. */
    static String viewerCoalesced(ServiceProcess viewer) {
        String said = metrics(viewer).entrySet().stream().filter(e -> e.getKey().contains("coalesc"))
                .map(e -> String.format("%s %,.0f", e.getKey(), e.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("");
        return said.isEmpty() ? "no coalescing metric in the viewer's /q/metrics" : said;
    }

    /**
     * Every LivePet sample of a service's Prometheus text (on its management port), by its name with labels; empty
     * while it does not answer.
     */
    static Map<String, Double> metrics(ServiceProcess service) {
        Map<String, Double> samples = new TreeMap<>();
        try {
            HttpResponse<Stream<String>> r = HTTP.send(HttpRequest.newBuilder(
                    service.management("/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            r.body().filter(line -> line.startsWith("livepet_")).forEach(line -> {
                Matcher m = SAMPLE.matcher(line);
                if (m.find()) {
                    try {
                        samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
                    } catch (NumberFormatException ignored) {
                        // NaN and the like: not a figure we report
                    }
                }
            });
        } catch (IOException e) {
            // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return samples;
    }

    /** A new temporary folder for a benchmark's stack, with its logs folder; the broker's log goes there. */
    static Path workDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        System.setProperty("org.slf4j.simpleLogger.logFile", logs.resolve("stack.log").toString());
        return dir;
    }

    /** A benchmark's results: a title line with the machine and its load, then one aligned line a figure. */
    static void printResults(String title, Map<String, String> results) {
        System.out.println();
        System.out.println(title + ", " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", load average " + loadAverage());
        int width = results.keySet().stream().mapToInt(String::length).max().orElse(10);
        results.forEach((k, v) -> System.out.printf("  %-" + width + "s  %s%n", k, v));
    }

    static void say(String format, Object... args) {
        System.out.println("LivePet bench ▸ " + String.format(format, args));
    }

    /** Every reachable object's bytes, after the full GC that jcmd's class histogram makes. */
    static long liveHeap(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String histogram = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
        if (!total.find()) {
            throw new IllegalStateException("jcmd GC.class_histogram said: " + histogram.lines().findFirst().orElse(""));
        }
        return Long.parseLong(total.group(1));
    }

    static String loadAverage() {
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return load[0] + " " + load[1] + " " + load[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
