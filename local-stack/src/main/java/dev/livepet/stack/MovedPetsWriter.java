package dev.livepet.stack;

import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a census's pets, moved, into the new {@code pet-state}, then every new partition's first tick record: in
 * that order, as the simulator orders a tick after the events it covers. Idempotent and acks=all, so a retry neither
 * loses nor doubles a record; what arrived is checked afterwards by reading it back.
 */
final class MovedPetsWriter {
    private MovedPetsWriter() {
    }

    static void write(String bootstrap, PetCensus census, PetMove move, PrintStream out) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        Progress progress = new Progress(out, "writing the moved pets", "pets", census.pets().size());
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (PetState last : census.pets().values()) {
                PetState moved = move.of(last, census.clockOf(PetPartitioner.partitionOf(last.id(), census.partitions())));
                producer.send(new ProducerRecord<>(Topics.PET_STATE, move.partitionOf(moved.id()),
                        PetStateCodec.key(moved.id()), PetStateCodec.write(moved)), (meta, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
                progress.add(1);
                if (failed.get() != null) {
                    break;
                }
            }
            producer.flush();
            for (int p = 0; p < move.partitions(); p++) {
                producer.send(new ProducerRecord<>(Topics.PET_STATE, p, PetStateCodec.tickKey(p),
                        PetStateCodec.write(move.clockOf(p))), (meta, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("writing the moved pets failed: " + failed.get().getMessage(), failed.get());
        }
        progress.finish(String.format("and %,d tick records at tick %d", move.partitions(), move.tick()));
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "livepet-repartition");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
