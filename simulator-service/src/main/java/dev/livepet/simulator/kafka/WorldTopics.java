package dev.livepet.simulator.kafka;

import dev.livepet.contract.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.jboss.logging.Logger;

import java.util.List;

/** What the topics look like: the pet topics' partition count, and whether snapshots have a topic that fits. */
final class WorldTopics {
    private static final Logger LOG = Logger.getLogger(WorldTopics.class);

    private WorldTopics() {
    }

    /** The partition count both pet topics share. */
    static int partitionCount(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> commands = consumer.partitionsFor(Topics.PET_COMMANDS);
        List<PartitionInfo> states = consumer.partitionsFor(Topics.PET_STATE);
        if (commands == null || commands.isEmpty() || states == null || states.isEmpty()) {
            throw new KafkaException("the topics " + Topics.PET_COMMANDS + " and " + Topics.PET_STATE + " do not exist yet");
        }
        if (commands.size() != states.size()) {
            throw new IllegalStateException(Topics.PET_COMMANDS + " has " + commands.size() + " partitions but "
                    + Topics.PET_STATE + " has " + states.size() + "; a pet's commands and states must share a partition");
        }
        return commands.size();
    }

    /** Snapshots need their topic with one partition per pet partition; without it restores replay pet-state. */
    static boolean snapshotTopicFits(KafkaConsumer<byte[], byte[]> consumer, int partitionCount) {
        List<PartitionInfo> topic = consumer.partitionsFor(Topics.PET_SNAPSHOTS);
        if (topic == null || topic.isEmpty()) {
            LOG.warnf("the topic %s does not exist: no snapshots are written, and a restore replays all of %s",
                    Topics.PET_SNAPSHOTS, Topics.PET_STATE);
            return false;
        }
        if (topic.size() != partitionCount) {
            LOG.warnf("the topic %s has %d partitions, not %d like %s: no snapshots are written, and a restore replays"
                    + " all of %s", Topics.PET_SNAPSHOTS, topic.size(), partitionCount, Topics.PET_STATE, Topics.PET_STATE);
            return false;
        }
        return true;
    }
}
