package dev.livepet.stack;

import java.nio.file.Path;
import java.util.Deque;

/**
 * {@code ./livepet backup} and {@code ./livepet restore}: a logical backup of the local world's PostgreSQL, running or
 * stopped, and a stopped world's PostgreSQL made anew from one, its pets brought back from Kafka.
 */
public final class BackupMain {
    static final String USAGE = """
            usage: ./livepet backup [--data DIR] [--to FILE]
                   ./livepet restore --from FILE [--data DIR]""";

    public static void main(String[] args) {
        CommandExit.run(args, USAGE, rest -> {
            run(rest);
            return 0;
        });
    }

    static void run(Deque<String> args) throws Exception {
        String command = args.isEmpty() ? "" : args.poll();
        Path home = Path.of(System.getProperty("livepet.home", ".")).toAbsolutePath().normalize();
        Path data = WorldSettings.defaults(home).dataDir();
        Path file = null;
        String fileOption = command.equals("restore") ? "--from" : "--to";
        while (!args.isEmpty()) {
            String a = args.poll();
            if (a.equals("--data")) {
                data = path(a, args);
            } else if (a.equals(fileOption)) {
                file = path(a, args);
            } else {
                throw new IllegalArgumentException("unknown option " + a);
            }
        }
        switch (command) {
            case "backup" -> LocalWorldBackups.backup(data, file != null ? file : LocalWorldBackups.defaultFile(data),
                    System.out);
            case "restore" -> {
                if (file == null) {
                    throw new IllegalArgumentException("say which backup to restore: --from FILE");
                }
                LocalWorldBackups.restore(data, file, System.out);
            }
            default -> throw new IllegalArgumentException(command.isEmpty() ? "say what to do: backup or restore"
                    : "unknown command '" + command + "'");
        }
    }

    private static Path path(String option, Deque<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return Path.of(args.poll()).toAbsolutePath().normalize();
    }
}
