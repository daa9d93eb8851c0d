package dev.livepet.stack;

import dev.livepet.contract.Topics;

import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./livepet topics tail|owners|repartition}: the operator's view of the pet topics, and moving a stopped world
 * to another partition count, on a local world or any cluster.
 */
public final class TopicsMain {
    static final String USAGE = """
            usage: ./livepet topics tail [pet-state|pet-commands|TOPIC] [--pet ID] [--from-beginning | --last N]
                                         [--max N] [--json] [--bootstrap HOST:PORT]
                   ./livepet topics owners [--group GROUP] [--bootstrap HOST:PORT]
                   ./livepet topics repartition --to N [--data DIR] [--from CENSUS]
                   ./livepet topics repartition --to N --bootstrap HOST:PORT [--from CENSUS]
                                                (--jdbc URL [--db-user U] [--db-password P] | --skip-database)""";

    public static void main(String[] args) {
        CommandExit.run(args, USAGE, TopicsMain::run);
    }

    static int run(Deque<String> args) throws Exception {
        String command = args.isEmpty() ? "" : args.poll();
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        switch (command) {
            case "tail" -> {
                String topic = Topics.PET_STATE;
                Long pet = null;
                TopicTail.Start start = TopicTail.Start.END;
                long max = 0;
                boolean json = false;
                while (!args.isEmpty()) {
                    String a = args.poll();
                    switch (a) {
                        case "--pet" -> pet = number(a, args);
                        case "--from-beginning" -> start = new TopicTail.Start(true, 0);
                        case "--last" -> start = new TopicTail.Start(false, number(a, args));
                        case "--max" -> max = number(a, args);
                        case "--json" -> json = true;
                        case "--bootstrap" -> bootstrap = value(a, args);
                        default -> {
                            if (a.startsWith("--")) {
                                throw new IllegalArgumentException("unknown option " + a);
                            }
                            topic = a;
                        }
                    }
                }
                AtomicBoolean stop = new AtomicBoolean();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
                new TopicTail(bootstrap, topic, pet, json).run(start, max, System.out, stop::get);
                return 0;
            }
            case "owners" -> {
                String group = null;
                while (!args.isEmpty()) {
                    String a = args.poll();
                    switch (a) {
                        case "--group" -> group = value(a, args);
                        case "--bootstrap" -> bootstrap = value(a, args);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
                PartitionOwners.print(new PartitionOwners(bootstrap).rows(group), System.out);
                return 0;
            }
            case "repartition" -> {
                repartition(args);
                return 0;
            }
            default -> throw new IllegalArgumentException(command.isEmpty() ? "say what to do: tail, owners or repartition"
                    : "unknown topics command '" + command + "'");
        }
    }

    /**
     * Without {@code --bootstrap}: the local world in its data folder (it must be stopped). With it: any cluster, whose
     * PostgreSQL is named by {@code --jdbc} (the password also from QUARKUS_DATASOURCE_PASSWORD, as the service takes
     * it) or knowingly left alone with {@code --skip-database}.
     */
    private static void repartition(Deque<String> args) throws Exception {
        long to = -1;
        String bootstrap = null, jdbc = null, user = LocalStackSettings.USER, password = null;
        Path data = null;
        Path from = null;
        boolean skipDatabase = false;
        while (!args.isEmpty()) {
            String a = args.poll();
            switch (a) {
                case "--to" -> to = number(a, args);
                case "--bootstrap" -> bootstrap = value(a, args);
                case "--data" -> data = Path.of(value(a, args)).toAbsolutePath().normalize();
                case "--jdbc" -> jdbc = value(a, args);
                case "--db-user" -> user = value(a, args);
                case "--db-password" -> password = value(a, args);
                case "--skip-database" -> skipDatabase = true;
                case "--from" -> from = Path.of(value(a, args)).toAbsolutePath().normalize();
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (to < 0) {
            throw new IllegalArgumentException("say the new partition count: --to N");
        }
        if (to < 1 || to > 100_000) {
            throw new IllegalArgumentException("--to takes a partition count from 1 to 100000, not " + to
                    + ": every pet lives in one of the world's partitions");
        }
        if (bootstrap == null) {
            if (jdbc != null || skipDatabase) {
                throw new IllegalArgumentException("--jdbc and --skip-database are for a cluster (with --bootstrap):"
                        + " the local world's PostgreSQL is in its data folder");
            }
            Path home = Path.of(System.getProperty("livepet.home", ".")).toAbsolutePath().normalize();
            StoppedLocalWorld.repartition(data != null ? data : WorldSettings.defaults(home).dataDir(), (int) to, from,
                    System.out);
            return;
        }
        if (data != null) {
            throw new IllegalArgumentException("--data names a local world, --bootstrap a cluster: give one of them");
        }
        if (jdbc == null && !skipDatabase) {
            throw new IllegalArgumentException("say where the persistence service's PostgreSQL is (--jdbc URL --db-user U"
                    + " --db-password P), or --skip-database to empty its partition_clocks yourself");
        }
        if (password == null) {
            password = System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", LocalStackSettings.PASSWORD);
        }
        new Repartition(bootstrap, (int) to, jdbc == null ? null : new ClockRows(jdbc, user, password), System.out,
                Path.of("").toAbsolutePath(), from).run();
    }

    private static String value(String option, Deque<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.poll();
    }

    private static long number(String option, Deque<String> args) {
        String v = value(option, args);
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number ≥ 0, not '" + v + "'");
        }
    }
}
