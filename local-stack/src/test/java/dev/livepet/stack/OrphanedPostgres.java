package dev.livepet.stack;

import java.nio.file.Path;

/** Run in a child JVM that the test kills with -9, leaving its postgres behind as a crashed world would. */
public final class OrphanedPostgres {
    public static void main(String[] args) throws Exception {
        Postgres.start(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println("postgres up");
        Thread.sleep(Long.MAX_VALUE);
    }
}
