package dev.livepet.stack;

import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The three topics that share a world's partition count. Kafka can add partitions to a topic but never take them
 * away, and an added one would move every pet anyway: a new count means deleting each and making it anew with the
 * replication and the configs (compaction, segments) it had.
 */
final class PetTopics {
    static final List<String> NAMES = List.of(Topics.PET_STATE, Topics.PET_COMMANDS, Topics.PET_SNAPSHOTS);
    private static final long PATIENCE_MILLIS = 120_000;

    /** What a topic is made with, read from the broker: only the configs set on the topic, not the broker's defaults. */
    record Shape(String name, int partitions, short replicas, Map<String, String> configs) {
        NewTopic withPartitions(int count) {
            return new NewTopic(name, count, replicas).configs(configs);
        }
    }

    private PetTopics() {
    }

    /** The shapes of the pet topics; a world without one of them is not one to move. */
    static Map<String, Shape> shapes(Admin admin) throws Exception {
        Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(NAMES).allTopicNames().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new MoveRefused("the world has not all of " + NAMES + ": there is nothing to move (./livepet up"
                        + " makes them)");
            }
            throw e;
        }
        List<ConfigResource> resources = NAMES.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (String name : NAMES) {
            TopicDescription d = described.get(name);
            Map<String, String> own = new TreeMap<>();
            for (ConfigEntry e : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).entries()) {
                if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && e.value() != null) {
                    own.put(e.name(), e.value());
                }
            }
            shapes.put(name, new Shape(name, d.partitions().size(), (short) d.partitions().get(0).replicas().size(), own));
        }
        return shapes;
    }

    /**
     * Deletes the topics (those a move that stopped half way left) and makes them anew with {@code count}
     * partitions, back once the broker serves them all.
     */
    static void remake(Admin admin, Map<String, Shape> shapes, int count) throws Exception {
        Set<String> present = new HashSet<>(admin.listTopics().names().get(60, TimeUnit.SECONDS));
        List<String> old = shapes.keySet().stream().filter(present::contains).toList();
        if (!old.isEmpty()) {
            admin.deleteTopics(old).all().get(60, TimeUnit.SECONDS);
        }
        List<NewTopic> fresh = shapes.values().stream().map(s -> s.withPartitions(count)).toList();
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        // a deleted topic's name is free again only once the controller has removed it everywhere
        List<NewTopic> missing = new ArrayList<>(fresh);
        while (!missing.isEmpty()) {
            for (NewTopic t : List.copyOf(missing)) {
                try {
                    admin.createTopics(List.of(t)).all().get(60, TimeUnit.SECONDS);
                    missing.remove(t);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException) || System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("could not make " + t.name() + " anew after deleting it: "
                                + e.getCause().getMessage() + "; make it with " + count + " partitions and the configs "
                                + t.configs() + " by hand", e);
                    }
                }
            }
            if (!missing.isEmpty()) {
                Thread.sleep(200);
            }
        }
        awaitLeaders(admin, count, deadline);
    }

    /** Until every partition of every pet topic has a leader: before, a producer's first records could time out. */
    private static void awaitLeaders(Admin admin, int count, long deadline) throws Exception {
        while (true) {
            try {
                Map<String, TopicDescription> d = admin.describeTopics(NAMES).allTopicNames().get(60, TimeUnit.SECONDS);
                boolean ready = d.values().stream().allMatch(t -> t.partitions().size() == count
                        && t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the broker did not serve every partition of " + NAMES + " within "
                        + PATIENCE_MILLIS / 1000 + " s of making them anew");
            }
            Thread.sleep(200);
        }
    }
}
