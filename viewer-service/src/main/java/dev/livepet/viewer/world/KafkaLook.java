package dev.livepet.viewer.world;

import dev.livepet.contract.Topics;
import dev.livepet.viewer.stream.PetStateConsumer;
import dev.livepet.viewer.world.WorldSample.PartitionOwner;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What Kafka itself says about the world, through its Admin client: which simulator instance owns which partition
 * (the simulator group's assignment) and how far the persistence service and this viewer are behind on pet-state.
 */
@ApplicationScoped
public class KafkaLook {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final DashboardConfig config;
    private final PetStateConsumer stream;

    public KafkaLook(@Identifier("default-kafka-broker") Map<String, Object> kafka, DashboardConfig config,
                     PetStateConsumer stream) {
        Map<String, Object> settings = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                settings.put(key, value);
            }
        });
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "livepet-viewer-dashboard");
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(settings);
        this.config = config;
        this.stream = stream;
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }

    /** The simulator instances and their partitions of pet-commands, by instance name. */
    public Uni<List<PartitionOwner>> owners() {
        String group = config.simulatorGroup();
        return uni(admin.describeConsumerGroups(List.of(group)).all()).map(groups -> {
            ConsumerGroupDescription description = groups.get(group);
            List<PartitionOwner> owners = new ArrayList<>();
            if (description == null) {
                return owners;
            }
            for (MemberDescription member : description.members()) {
                List<Integer> partitions = member.assignment().topicPartitions().stream()
                        .filter(p -> p.topic().equals(Topics.PET_COMMANDS))
                        .map(TopicPartition::partition).sorted().toList();
                // the member's host is left out: the page is public, and a pod's address is nobody's business there
                owners.add(new PartitionOwner(instanceName(member, group), partitions));
            }
            owners.sort(Comparator.comparing(PartitionOwner::instance));
            return owners;
        });
    }

    /** A simulator names its consumer "livepet-simulator-" + its instance id (its static membership id). */
    static String instanceName(MemberDescription member, String group) {
        String name = member.groupInstanceId().orElse(member.clientId());
        return name.startsWith(group + "-") ? name.substring(group.length() + 1) : name;
    }

    /** pet-state's last committed offset of every partition, as a read_committed reader sees the end. */
    public Uni<Map<TopicPartition, Long>> stateEnds() {
        return uni(admin.describeTopics(List.of(Topics.PET_STATE)).allTopicNames()).flatMap(topics -> {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            IntStream.range(0, topics.get(Topics.PET_STATE).partitions().size())
                    .forEach(p -> latest.put(new TopicPartition(Topics.PET_STATE, p), OffsetSpec.latest()));
            return uni(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
        }).map(ends -> {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
                offsets.put(end.getKey(), end.getValue().offset());
            }
            return offsets;
        });
    }

    /** Records of pet-state the persistence service has not committed; null when its group has committed nothing. */
    public Uni<Long> persistenceLag(Map<TopicPartition, Long> ends) {
        return uni(admin.listConsumerGroupOffsets(config.persistenceGroup()).partitionsToOffsetAndMetadata())
                .map(committed -> lag(ends, committedOffsets(committed)));
    }

    /** Records of pet-state this viewer's live stream has not read yet. */
    public Uni<Long> viewerLag(Map<TopicPartition, Long> ends) {
        return Uni.createFrom().item(() -> lag(ends, stream.positions()));
    }

    private static Map<TopicPartition, Long> committedOffsets(Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    /** The records between a reader's positions and the ends, over the partitions it has a position in. */
    static Long lag(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> positions) {
        if (positions.isEmpty()) {
            return null;
        }
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> position : positions.entrySet()) {
            Long end = ends.get(position.getKey());
            if (end != null) {
                lag += Math.max(0, end - position.getValue());
            }
        }
        return lag;
    }

    private static <T> Uni<T> uni(KafkaFuture<T> future) {
        return Uni.createFrom().completionStage(future.toCompletionStage());
    }
}
