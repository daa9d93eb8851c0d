package dev.livepet.system;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** Which simulator instance owns which partitions of pet-commands, as the group coordinator says now. */
final class SimulatorGroup {
    static final String GROUP = "livepet-simulator";

    private SimulatorGroup() {
    }

    /** Per member (its static instance id, else its client id), the partitions assigned to it; members without any are left out. */
    static Map<String, Set<Integer>> owners(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP)
                    .get(30, TimeUnit.SECONDS);
            Map<String, Set<Integer>> owners = new TreeMap<>();
            for (MemberDescription m : group.members()) {
                Set<Integer> partitions = new TreeSet<>();
                m.assignment().topicPartitions().stream().map(TopicPartition::partition).forEach(partitions::add);
                if (!partitions.isEmpty()) {
                    owners.put(m.groupInstanceId().orElse(m.clientId()), partitions);
                }
            }
            return owners;
        }
    }
}
