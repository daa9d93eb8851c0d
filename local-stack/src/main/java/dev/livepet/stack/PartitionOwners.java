package dev.livepet.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code ./livepet topics owners}: for every consumer group (the simulators on pet-commands, the persistence
 * service on pet-state, each viewer), which member owns which partition, and how far behind its commits are.
 */
public final class PartitionOwners {
    /** One partition of one group: who owns it and its lag (-1 where the group commits nothing there). */
    public record Row(String group, TopicPartition partition, String owner, long committed, long end) {
        public long lag() {
            return committed < 0 ? -1 : Math.max(0, end - committed);
        }
    }

    private final String bootstrap;

    public PartitionOwners(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every partition that a group owns or has committed, group by group, partition by partition. */
    public List<Row> rows(String onlyGroup) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "livepet-topics");
        try (Admin admin = Admin.create(p)) {
            List<String> groups = onlyGroup != null ? List.of(onlyGroup)
                    : get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()).stream()
                    .map(GroupListing::groupId).sorted().toList();
            Map<String, ConsumerGroupDescription> descriptions = groups.isEmpty() ? Map.of()
                    : get(admin.describeConsumerGroups(groups).all());
            List<Row> rows = new ArrayList<>();
            for (String group : groups) {
                Map<TopicPartition, String> owners = new HashMap<>();
                ConsumerGroupDescription d = descriptions.get(group);
                if (d != null) {
                    for (MemberDescription m : d.members()) {
                        for (TopicPartition tp : m.assignment().topicPartitions()) {
                            owners.put(tp, memberName(m));
                        }
                    }
                }
                Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata());
                TreeSet<TopicPartition> partitions = new TreeSet<>(
                        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
                partitions.addAll(owners.keySet());
                committed.forEach((tp, o) -> {
                    if (o != null) {
                        partitions.add(tp);
                    }
                });
                Map<TopicPartition, Long> ends = endOffsets(admin, partitions);
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata c = committed.get(tp);
                    rows.add(new Row(group, tp, owners.getOrDefault(tp, "(nobody)"), c == null ? -1 : c.offset(),
                            ends.getOrDefault(tp, -1L)));
                }
            }
            return rows;
        }
    }

    /** Prints {@link #rows} as a table, with each group's members and total lag first. */
    public static void print(List<Row> rows, PrintStream out) {
        Map<String, List<Row>> byGroup = rows.stream()
                .collect(Collectors.groupingBy(Row::group, java.util.TreeMap::new, Collectors.toList()));
        if (byGroup.isEmpty()) {
            out.println("no consumer groups yet: is the world running?");
        }
        byGroup.forEach((group, groupRows) -> {
            Map<String, Long> perOwner = groupRows.stream()
                    .collect(Collectors.groupingBy(Row::owner, java.util.TreeMap::new, Collectors.counting()));
            boolean commits = groupRows.stream().anyMatch(r -> r.committed() >= 0);
            long lag = groupRows.stream().mapToLong(Row::lag).filter(l -> l > 0).sum();
            out.printf("group %s: %s%n", group, commits ? "lag " + lag + " records"
                    : "commits no offsets (it reads from the latest), so its lag is not kept in Kafka");
            perOwner.forEach((owner, n) -> out.printf("  %-44s %d partition%s%n", owner, n, n == 1 ? "" : "s"));
            out.printf("  %-16s %-9s %-44s %12s %12s %10s%n", "topic", "partition", "owner", "committed", "end", "lag");
            for (Row r : groupRows) {
                out.printf("  %-16s %-9d %-44s %12s %12d %10s%n", r.partition().topic(), r.partition().partition(),
                        r.owner(), r.committed() < 0 ? "-" : Long.toString(r.committed()), r.end(),
                        r.lag() < 0 ? "-" : Long.toString(r.lag()));
            }
            out.println();
        });
    }

    // a simulator's static member id names its instance; otherwise the client id and host say who it is
    private static String memberName(MemberDescription m) {
        return m.groupInstanceId().orElse(m.clientId()) + " " + m.host();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, java.util.Collection<TopicPartition> partitions)
            throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        // read_committed: the end a transactional reader can reach, so an open transaction is not counted as lag
        var result = admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(),
                tp -> OffsetSpec.latest())), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
        return get(result.all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws Exception {
        try {
            return future.get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 15 s: is it running?", e);
        }
    }
}
