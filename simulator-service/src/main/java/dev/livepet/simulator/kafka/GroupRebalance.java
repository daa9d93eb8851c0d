package dev.livepet.simulator.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.Configurable;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;

/**
 * Whether this member is inside a rebalance of the simulators' group: from its join request to its new assignment.
 * In that window the group's generation moves on while the consumer still reports the old one, so a transaction that
 * commits command offsets then is refused (an illegal generation) and every owned partition would have to be restored
 * from Kafka; the loop waits the rebalance out instead of stepping.
 */
final class GroupRebalance {
    /** The consumer configuration key that hands this member's rebalance to its assignor. */
    static final String CONFIG = "livepet.simulator.group-rebalance";

    private volatile boolean underWay;

    /** A join request is on its way, or its assignment has not come back yet. */
    boolean underWay() {
        return underWay;
    }

    /**
     * The cooperative sticky assignment, telling its member's {@link GroupRebalance} when a join starts (the consumer
     * asks for the subscription's user data in every join request) and when its assignment arrives.
     */
    public static final class Watched extends CooperativeStickyAssignor implements Configurable {
        private GroupRebalance rebalance = new GroupRebalance();

        @Override
        public void configure(Map<String, ?> configs) {
            if (configs.get(CONFIG) instanceof GroupRebalance given) {
                rebalance = given;
            }
        }

        @Override
        public ByteBuffer subscriptionUserData(Set<String> topics) {
            rebalance.underWay = true;
            return super.subscriptionUserData(topics);
        }

        @Override
        public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
            super.onAssignment(assignment, metadata);
            rebalance.underWay = false;
        }
    }
}
