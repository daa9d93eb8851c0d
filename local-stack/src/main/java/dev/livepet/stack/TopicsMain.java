package dev.livepet.stack;

import dev.livepet.contract.Topics;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code ./livepet topics tail|owners}: the operator's view of the pet topics, on a local world or any cluster. */
public final class TopicsMain {
    static final String USAGE = """
            usage: ./livepet topics tail [pet-state|pet-commands|TOPIC] [--pet ID] [--from-beginning | --last N]
                                         [--max N] [--json] [--bootstrap HOST:PORT]
                   ./livepet topics owners [--group GROUP] [--bootstrap HOST:PORT]""";

    public static void main(String[] args) {
        try {
            System.exit(run(new ArrayDeque<>(Arrays.asList(args))));
        } catch (IllegalArgumentException e) {
            System.err.println("livepet: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("livepet: " + e.getMessage());
            System.exit(1);
        }
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
            default -> throw new IllegalArgumentException(command.isEmpty() ? "say what to show: tail or owners"
                    : "unknown topics command '" + command + "'");
        }
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
