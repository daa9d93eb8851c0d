package dev.livepet.simulator.kafka;

import dev.livepet.simulator.domain.PetPartition;
import dev.livepet.simulator.domain.WorldRules;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's thread: it joins the consumer group on {@code pet-commands} and drives the partitions it is given
 * ({@link Membership}), joins again after a Kafka failure, and ends for good when the world cannot be simulated here
 * (its partition count is not the topics', {@link WorldPartitionsRefused}) or when stopped.
 */
public final class SimulatorLoop {
    private static final Logger LOG = Logger.getLogger(SimulatorLoop.class);

    /**
     * @param seedPets           ownerless pets 1..n created in the partitions of a new world
     * @param retryBackoff       wait before joining again after a failed Kafka session
     * @param snapshotEveryTicks each owned partition is snapshotted once every this many ticks; 0: never,
     *                           and restores replay the state topic from its beginning
     * @param snapshotChunkBytes payload bytes per snapshot record, within Kafka's default 1 MB message size
     * @param eventsPerTransaction the most seeded pets, or deaths of one tick, published in one transaction
     */
    public record Settings(int seedPets, Duration retryBackoff, int snapshotEveryTicks, int snapshotChunkBytes,
                           int eventsPerTransaction, Duration tickStep) {
        public static final int MAX_CHUNK_BYTES = 900 * 1024;
        /** A shorter tick step would cost a Kafka transaction every few milliseconds. */
        public static final Duration MIN_TICK_STEP = Duration.ofMillis(10);

        public Settings {
            if (seedPets < 0) {
                throw new IllegalArgumentException("livepet.simulator.seed-pets must not be negative");
            }
            if (snapshotEveryTicks < 0) {
                throw new IllegalArgumentException("livepet.simulator.snapshot-every-ticks must not be negative");
            }
            if (eventsPerTransaction < 1) {
                throw new IllegalArgumentException("livepet.simulator.events-per-transaction must be at least 1");
            }
            if (tickStep.compareTo(MIN_TICK_STEP) < 0) {
                throw new IllegalArgumentException("livepet.simulator.tick-step must be at least " + MIN_TICK_STEP.toMillis()
                        + " ms: every step is a Kafka transaction");
            }
            if (snapshotChunkBytes < 1024 || snapshotChunkBytes > MAX_CHUNK_BYTES) {
                throw new IllegalArgumentException("livepet.simulator.snapshot-chunk-bytes must be within 1024.."
                        + MAX_CHUNK_BYTES + " so that a chunk fits Kafka's default message size of 1 MB");
            }
        }
    }

    private final KafkaClients clients;
    private final WorldRules rules;
    private final Settings settings;
    private final PetStateRestore restorer;
    private final SimulatorMetrics metrics;
    private final CommandTracing tracing;
    private final SimulatorStatus status = new SimulatorStatus();
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Membership membership;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public SimulatorLoop(KafkaClients clients, WorldRules rules, Settings settings, PetStateRestore restorer,
                         SimulatorMetrics metrics, CommandTracing tracing) {
        this.clients = clients;
        this.rules = rules;
        this.settings = settings;
        this.restorer = restorer;
        this.metrics = metrics;
        this.tracing = tracing;
        this.thread = new Thread(this::run, "livepet-simulator");
        this.thread.setDaemon(true);
    }

    public static SimulatorLoop create(KafkaClients clients, WorldRules rules, Settings settings, int recentCommandIds,
                                       int partitionCapacity, Duration restoreTimeout, SimulatorMetrics metrics) {
        return create(clients, rules, settings, recentCommandIds, partitionCapacity, restoreTimeout, metrics,
                CommandTracing.off());
    }

    public static SimulatorLoop create(KafkaClients clients, WorldRules rules, Settings settings, int recentCommandIds,
                                       int partitionCapacity, Duration restoreTimeout, SimulatorMetrics metrics,
                                       CommandTracing tracing) {
        return new SimulatorLoop(clients, rules, settings,
                new PetStateRestore(clients, rules, recentCommandIds, partitionCapacity, restoreTimeout), metrics, tracing);
    }

    public void start() {
        thread.start();
    }

    /** Wakes the loop, lets it abort what is open and leave the group, and waits for it to end. */
    public void stop(Duration timeout) {
        running = false;
        stopping.countDown();
        Membership current = membership;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warnf("the simulator loop did not stop within %s", timeout);
        }
    }

    /** Joined the group, every assigned partition restored (and seeded), and each has ticked since. */
    public boolean ready() {
        return status.ready && thread.isAlive();
    }

    /** The thread ended although nobody stopped it. */
    public boolean died() {
        return failure != null || (running && !thread.isAlive() && thread.getState() != Thread.State.NEW);
    }

    public Throwable failure() {
        return failure;
    }

    public long petsAlive() {
        return status.petsAlive;
    }

    public long pets() {
        return status.pets;
    }

    public int partitionsOwned() {
        return status.partitionsOwned;
    }

    /** Heap bytes the owned pets hold, as {@link PetPartition#heapBytes()} estimates them. */
    public long petHeapBytes() {
        return status.heapBytes;
    }

    private void run() {
        try {
            while (running) {
                try (Membership current = new Membership(clients, rules, settings, restorer, metrics, status, tracing)) {
                    membership = current;
                    current.run(() -> running);
                } catch (WakeupException e) {
                    // stop() woke the consumer up
                } catch (KafkaException e) {
                    if (WorldPartitionsRefused.in(e) != null) {
                        throw e;
                    }
                    if (running) {
                        LOG.warnf("left the simulator group after a Kafka failure, joining again in %s: %s",
                                settings.retryBackoff(), e.toString());
                        stopping.await(settings.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
                    }
                } finally {
                    membership = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            WorldPartitionsRefused refused = WorldPartitionsRefused.in(t);
            failure = refused != null ? refused : t;
            if (refused != null) {
                LOG.error(refused.getMessage());
            } else {
                LOG.error("the simulator loop died", t);
            }
        } finally {
            status.clear();
        }
    }
}
