package dev.livepet.viewer.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Feed-to-frame latency, {@code livepet.viewer.feed.to.frame}: from when this instance sent a meal or a treat to
 * when the event of that command was handed to the sockets of its pet's watchers here. Remembers the commands it
 * sent (by id) until their event comes, at most {@link #MAX} and at most {@link #FORGET_AFTER} each, so a command
 * that makes no event (ignored, refused, a pet nobody watches here) costs nothing for long.
 */
@Startup // registers its timer at start, not on the first feed
@ApplicationScoped
public class FeedsInFlight {
    static final int MAX = 10_000;
    static final Duration FORGET_AFTER = Duration.ofMinutes(1);

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Timer feedToFrame;

    public FeedsInFlight(MeterRegistry registry) {
        this.feedToFrame = Timer.builder("livepet.viewer.feed.to.frame")
                .description("from this instance sending a meal or a treat to its event handed to the sockets of the"
                        + " pet's watchers here: the world's round trip through Kafka and the simulator")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /** A feed command this instance just sent (before the broker acknowledged it). */
    public void sent(String commandId) {
        long now = System.nanoTime();
        if (sentAt.size() >= MAX) {
            forgetOlderThan(now - FORGET_AFTER.toNanos());
            if (sentAt.size() >= MAX) {
                return; // a burst beyond what is worth measuring: this one goes unmeasured
            }
        }
        sentAt.put(commandId, now);
    }

    /** The send time of a command of this instance whose event just came, forgetting it; -1 when it is none of ours. */
    long arrived(String commandId) {
        if (commandId == null || sentAt.isEmpty()) {
            return -1;
        }
        Long at = sentAt.remove(commandId);
        return at == null ? -1 : at;
    }

    /** The event of a command sent at {@code sentAt} (nanoTime) was handed to its watchers' sockets just now. */
    void shown(long sentAt) {
        feedToFrame.record(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS);
    }

    private void forgetOlderThan(long nanoTime) {
        sentAt.values().removeIf(at -> at - nanoTime < 0);
    }
}
