package dev.livepet.stack;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/** How a {@code ./livepet} command ends: 0 done, 2 a usage mistake (with the usage), 1 anything else, each said. */
final class CommandExit {
    /** A command's work on its arguments; returns its exit status. */
    @FunctionalInterface
    interface Work {
        int run(Deque<String> args) throws Exception;
    }

    private CommandExit() {
    }

    static void run(String[] args, String usage, Work work) {
        try {
            System.exit(work.run(new ArrayDeque<>(Arrays.asList(args))));
        } catch (IllegalArgumentException e) {
            System.err.println("livepet: " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("livepet: " + e.getMessage());
            System.exit(1);
        }
    }
}
