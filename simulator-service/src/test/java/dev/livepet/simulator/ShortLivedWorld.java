package dev.livepet.simulator;

import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * A new world on a stack of its own where pets die on their third tick and a transaction holds at most three deaths,
 * so that a test sees deaths within seconds, and a tick whose deaths need several transactions.
 */
public class ShortLivedWorld implements QuarkusTestResourceLifecycleManager {
    static final int PARTITIONS = 2;
    static final int MAX_AGE = 2;
    static final int EVENTS_PER_TRANSACTION = 3;

    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        try {
            stack = LocalStack.start(LocalStackSettings.onFreePorts(Files.createTempDirectory("livepet-short-lives"), PARTITIONS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> properties = new HashMap<>(stack.serviceProperties());
        properties.put("livepet.world.max-age", String.valueOf(MAX_AGE));
        properties.put("livepet.simulator.events-per-transaction", String.valueOf(EVENTS_PER_TRANSACTION));
        return properties;
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
    }
}
