package dev.livepet.persistence.kafka;

import dev.livepet.persistence.db.PetTable;
import dev.livepet.persistence.domain.DeadLetter;
import dev.livepet.persistence.domain.PetBatch;
import dev.livepet.persistence.domain.StateRecord;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code pet-state} one poll at a time and keeps the {@code pets} table at each pet's highest version.
 * The returned {@link Uni} acknowledges the batch: it completes only after the database commit (and the dead
 * letters' delivery), so the commit strategy never commits an offset whose state is not in PostgreSQL.
 */
@Startup // registers its meters at start, not on the first batch
@ApplicationScoped
public class PetStateConsumer {
    private final PetTable pets;
    private final DeadLetterTopic deadLetters;
    private final DistributionSummary batchRecords;

    public PetStateConsumer(PetTable pets, DeadLetterTopic deadLetters, MeterRegistry registry) {
        this.pets = pets;
        this.deadLetters = deadLetters;
        this.batchRecords = DistributionSummary.builder("livepet.persistence.batch.records")
                .description("pet-state records per consumed batch, before coalescing").publishPercentileHistogram()
                .register(registry);
    }

    @Incoming("pet-state")
    public Uni<Void> persist(ConsumerRecords<String, byte[]> records) {
        List<StateRecord> received = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            received.add(new StateRecord(r.key(), r.value(), r.partition(), r.offset()));
        }
        batchRecords.record(received.size());
        PetBatch batch = PetBatch.coalesce(received);
        // both lanes are written at once for now; batch.ticksOnly() is where the interval-flushed tick lane will start
        return pets.write(batch.latest())
                .chain(refused -> deadLetters.send(concat(batch.poison(), refused)));
    }

    private static List<DeadLetter> concat(List<DeadLetter> a, List<DeadLetter> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<DeadLetter> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
