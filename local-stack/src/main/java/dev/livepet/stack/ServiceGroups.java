package dev.livepet.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The consumer groups of the services that read the pet topics: who is in them, what the simulators committed, and
 * forgetting them when the topics are made anew (their offsets would point into topics that are gone).
 */
final class ServiceGroups {
    /** The simulators' group on pet-commands (simulator-service, KafkaClients.GROUP_ID). */
    static final String SIMULATORS = "livepet-simulator";
    /** The persistence service's group on pet-state (its livepet.persistence.consumption.group-id). */
    static final String PERSISTENCE = "livepet-persistence";
    static final List<String> ALL = List.of(SIMULATORS, PERSISTENCE);

    private ServiceGroups() {
    }

    /** The members of each service group that has any, named as {@code ./livepet topics owners} names them. */
    static Map<String, List<String>> members(Admin admin) throws Exception {
        Map<String, List<String>> members = new HashMap<>();
        Map<String, KafkaFuture<ConsumerGroupDescription>> described = admin.describeConsumerGroups(ALL).describedGroups();
        for (String group : ALL) {
            ConsumerGroupDescription d = orNull(described.get(group));
            if (d != null && !d.members().isEmpty()) {
                members.put(group, d.members().stream().map(ServiceGroups::name).toList());
            }
        }
        return members;
    }

    /** The simulators' committed offsets (none when the group never committed or does not exist). */
    static Map<TopicPartition, OffsetAndMetadata> simulatorOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = orNull(admin.listConsumerGroupOffsets(SIMULATORS)
                .partitionsToOffsetAndMetadata());
        return committed == null ? Map.of() : committed;
    }

    /** Deletes the service groups that exist, with their committed offsets; returns the ones deleted. */
    static List<String> forget(Admin admin) throws Exception {
        List<String> deleted = new ArrayList<>();
        Map<String, KafkaFuture<Void>> results = admin.deleteConsumerGroups(ALL).deletedGroups();
        for (String group : ALL) {
            try {
                results.get(group).get(30, TimeUnit.SECONDS);
                deleted.add(group);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupNotEmptyException) {
                    throw new IllegalStateException("the group " + group + " got a member during the move: a service"
                            + " started meanwhile; stop it, and delete the group's offsets before it starts again", e);
                }
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        }
        return deleted;
    }

    private static String name(MemberDescription m) {
        return m.groupInstanceId().orElse(m.consumerId()) + " " + m.host();
    }

    // a group that does not exist answers "not found" on the new coordinator, an empty dead group on the old one
    private static <T> T orNull(KafkaFuture<T> future) throws Exception {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }
}
