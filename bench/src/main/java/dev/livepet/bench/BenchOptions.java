package dev.livepet.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A benchmark's command line: {@code --name value} options and bare flags; a mistake ends it with its usage. */
final class BenchOptions {
    private final String command;
    private final String usage;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private BenchOptions(String command, String usage) {
        this.command = command;
        this.usage = usage;
    }

    /**
     * @param command  e.g. "bench world", for the messages
     * @param usage    the options with their defaults, shown after a mistake
     * @param valued   the options that take a value
     * @param bare     the flags
     */
    static BenchOptions parse(String[] args, String command, String usage, Set<String> valued, Set<String> bare) {
        BenchOptions options = new BenchOptions(command, usage);
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String option = list.get(i);
            if (bare.contains(option)) {
                options.flags.add(option);
            } else if (!valued.contains(option)) {
                options.fail("unknown option " + option);
            } else if (i + 1 >= list.size()) {
                options.fail("option " + option + " needs a value");
            } else {
                options.values.put(option, list.get(++i));
            }
        }
        return options;
    }

    /** Where LivePet is checked out: the script passes it, or the working folder. */
    static Path home() {
        return Path.of(System.getProperty("livepet.home", ".")).toAbsolutePath().normalize();
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String text(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    /** A whole number; underscores may group its digits (1_000_000). */
    int integer(String name, int otherwise) {
        try {
            return values.containsKey(name) ? Integer.parseInt(values.get(name).replace("_", "")) : otherwise;
        } catch (NumberFormatException e) {
            throw fail(name + " needs a whole number, not " + values.get(name));
        }
    }

    double number(String name, double otherwise) {
        try {
            return values.containsKey(name) ? Double.parseDouble(values.get(name)) : otherwise;
        } catch (NumberFormatException e) {
            throw fail(name + " needs a number, not " + values.get(name));
        }
    }

    /** Ends the program with the problem and the usage (exit status 2). */
    IllegalArgumentException fail(String problem) {
        System.err.println("livepet " + command + ": " + problem);
        System.err.println("options: " + usage);
        System.exit(2);
        return new IllegalArgumentException(problem);
    }
}
