package dev.livepet.stack;

import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * After PostgreSQL is restored, its {@code pets} and {@code partition_clocks} are as old as the backup, while the
 * persistence service's committed offsets on {@code pet-state} are as new as the world: resumed there, it would never
 * write again a pet that did not change after the restore. So its group is set back to the beginning of every
 * partition, and it reads the compacted topic (each pet's last event, each partition's last tick) once more. Its
 * writes only ever raise a pet's version and a clock's tick, so what the backup holds is replaced where the topic has
 * newer, and kept nowhere it is older.
 */
record PersistenceRefill(String bootstrap) {
    /** How long old members of the group may take to leave (a service killed with -9 stays until its session ends). */
    static final Duration MEMBERS_PATIENCE = Duration.ofSeconds(60);

    /**
     * @param committed records of pet-state the group had read and committed before (past the backup's moment)
     * @param toRead    records the group reads from the beginning: the whole compacted topic
     */
    record Rewound(int partitions, long committed, long toRead) {
    }

    Rewound rewind() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "livepet-restore"))) {
            awaitNoMembers(admin);
            int partitions = admin.describeTopics(List.of(Topics.PET_STATE)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.PET_STATE).partitions().size();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>(), latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                earliest.put(new TopicPartition(Topics.PET_STATE, p), OffsetSpec.earliest());
                latest.put(new TopicPartition(Topics.PET_STATE, p), OffsetSpec.latest());
            }
            ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            var begins = admin.listOffsets(earliest, committedOnly).all().get(30, TimeUnit.SECONDS);
            var ends = admin.listOffsets(latest, committedOnly).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> before = admin.listConsumerGroupOffsets(ServiceGroups.PERSISTENCE)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            long committed = 0, toRead = 0;
            for (TopicPartition tp : earliest.keySet()) {
                long begin = begins.get(tp).offset();
                OffsetAndMetadata was = before == null ? null : before.get(tp);
                committed += was == null ? 0 : Math.max(0, was.offset() - begin);
                toRead += ends.get(tp).offset() - begin;
                start.put(tp, new OffsetAndMetadata(begin, "set back by ./livepet restore"));
            }
            admin.alterConsumerGroupOffsets(ServiceGroups.PERSISTENCE, start).all().get(30, TimeUnit.SECONDS);
            return new Rewound(partitions, committed, toRead);
        }
    }

    private static void awaitNoMembers(Admin admin) throws Exception {
        long deadline = System.nanoTime() + MEMBERS_PATIENCE.toNanos();
        while (true) {
            List<String> members = ServiceGroups.members(admin).get(ServiceGroups.PERSISTENCE);
            if (members == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new BackupRefused("the group " + ServiceGroups.PERSISTENCE + " still has member(s) " + members
                        + " after " + MEMBERS_PATIENCE.toSeconds() + " s: a persistence service runs against this world;"
                        + " stop it, then restore again");
            }
            Thread.sleep(1000);
        }
    }
}
