package dev.livepet.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the real broker and PostgreSQL: one stack per test JVM, on free ports,
 * in a fresh folder, stopped when the JVM ends.
 * Use it with {@code @WithTestResource(LocalStackTestResource.class)}.
 */
public class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {
    private static LocalStack shared;

    /** The stack of this JVM, started on first use. */
    public static synchronized LocalStack stack() {
        if (shared == null) {
            try {
                var dir = Files.createTempDirectory("livepet-test-stack");
                shared = LocalStack.start(LocalStackSettings.onFreePorts(dir, Integer.getInteger("livepet.test.partitions", 6)));
                LocalStack stack = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "livepet-test-stack-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    @Override
    public Map<String, String> start() {
        return stack().serviceProperties();
    }

    @Override
    public void stop() {
        // the stack outlives one test class: the next class of the same JVM reuses it
    }
}
