package dev.livepet.viewer.live;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.util.Collection;

/**
 * Ready once this instance reads every pet-state partition from a known offset: from then on no state
 * published is missed, so a browser sees each change.
 */
@Readiness
@ApplicationScoped
@Identifier("pet-state-assignment")
public class PetStateAssignment implements KafkaConsumerRebalanceListener, HealthCheck {
    private static final Logger LOG = Logger.getLogger(PetStateAssignment.class);
    private volatile int partitions;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        // resolve the "latest" start now (on the polling thread), not lazily at the first fetch
        for (TopicPartition partition : assigned) {
            consumer.position(partition);
        }
        partitions = consumer.assignment().size();
        LOG.infof("reading %d pet-state partition(s) from their ends (%d newly assigned)", partitions, assigned.size());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        partitions = (int) consumer.assignment().stream().filter(p -> !revoked.contains(p)).count();
        if (!revoked.isEmpty()) {
            // nothing is committed: a partition assigned again starts from its end, what came meanwhile is not seen
            LOG.infof("%d pet-state partition(s) taken away, %d left", revoked.size(), partitions);
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        onPartitionsRevoked(consumer, lost);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pet-state live stream")
                .status(partitions > 0)
                .withData("partitions", partitions)
                .build();
    }
}
