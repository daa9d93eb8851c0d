package dev.livepet.persistence.kafka;

import dev.livepet.contract.Topics;
import dev.livepet.contract.WorldPartitions;
import dev.livepet.persistence.PersistenceSettings;
import dev.livepet.persistence.db.ClockTable;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The partition count of {@code pet-state}, checked at start against the count the world's ticks recorded in
 * {@code partition_clocks}: with another count a pet's events would be filed under another partition's clock.
 */
@ApplicationScoped
public class WorldPartitionCount {
    private static final Logger LOG = Logger.getLogger(WorldPartitionCount.class);
    // how often a start asks again for a topic that does not exist yet
    private static final Duration ASK_AGAIN = Duration.ofMillis(500);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final PersistenceSettings settings;
    private final Map<String, Object> kafka;

    public WorldPartitionCount(Pool pool, PersistenceSettings settings,
                               @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.pool = pool;
        this.settings = settings;
        this.kafka = Map.copyOf(kafka);
    }

    /**
     * The topic's partition count, if the world's ticks recorded the same (or none yet).
     *
     * @throws WorldMismatch with {@link WorldPartitions#mismatch}'s sentence when they recorded another
     */
    public int checked() {
        int topic = topicPartitions();
        int recorded = ClockTable.recordedPartitions(pool).await().atMost(ANSWER_TIMEOUT);
        String mismatch = WorldPartitions.mismatch(topic, recorded);
        if (mismatch != null) {
            throw new WorldMismatch(mismatch);
        }
        LOG.infof("%s has %d partitions; the world's ticks recorded %s", Topics.PET_STATE, topic,
                recorded == 0 ? "none yet" : Integer.toString(recorded));
        return topic;
    }

    private int topicPartitions() {
        long deadline = System.nanoTime() + settings.consumption().topicWait().toNanos();
        boolean said = false;
        try (Admin admin = Admin.create(kafka)) {
            while (true) {
                try {
                    return admin.describeTopics(List.of(Topics.PET_STATE)).allTopicNames()
                            .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(Topics.PET_STATE).partitions().size();
                } catch (ExecutionException | TimeoutException e) {
                    Throwable why = e instanceof ExecutionException ? e.getCause() : e;
                    boolean missing = why instanceof UnknownTopicOrPartitionException || why instanceof TimeoutException
                            || why instanceof org.apache.kafka.common.errors.TimeoutException;
                    if (!missing || System.nanoTime() - deadline >= 0) {
                        throw new IllegalStateException("cannot learn how many partitions " + Topics.PET_STATE
                                + " has: " + why, why);
                    }
                    if (!said) {
                        LOG.infof("waiting up to %d s for %s (%s)", settings.consumption().topicWait().toSeconds(),
                                Topics.PET_STATE, why.toString());
                        said = true;
                    }
                    Thread.sleep(ASK_AGAIN.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while learning how many partitions " + Topics.PET_STATE + " has", e);
        }
    }
}
