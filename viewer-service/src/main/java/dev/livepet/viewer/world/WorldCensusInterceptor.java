package dev.livepet.viewer.world;

import io.quarkus.arc.Arc;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * Shows the {@link WorldCensus} every record the pet-state consumer polls, before the live stream filters them:
 * the census sees the whole world without the stream knowing about it. Kafka creates this class, hence the lookup.
 */
public class WorldCensusInterceptor implements ConsumerInterceptor<String, byte[]> {
    private WorldCensus census;

    @Override
    public void configure(Map<String, ?> configs) {
        census = Arc.container().instance(WorldCensus.class).get();
    }

    @Override
    public ConsumerRecords<String, byte[]> onConsume(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            census.saw(record);
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // the viewer's stream commits nothing
    }

    @Override
    public void close() {
        // nothing held
    }
}
