package dev.livepet.persistence.kafka;

import dev.livepet.persistence.PersistenceSettings;
import dev.livepet.persistence.db.PetTable;
import dev.livepet.persistence.domain.BatchesInFlight;
import dev.livepet.persistence.domain.DeadLetter;
import dev.livepet.persistence.domain.LatestState;
import dev.livepet.persistence.domain.PendingTicks;
import dev.livepet.persistence.domain.PetBatch;
import dev.livepet.contract.TickPeek;
import org.apache.kafka.common.TopicPartition;
import dev.livepet.persistence.domain.StateRecord;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code pet-state} one poll at a time and keeps the {@code pets} table at each pet's highest version, in
 * two lanes: pets with a lifecycle change (adopted, fed, treat, died) are written at once, while the next poll is
 * read ({@code lifecycle-batches-in-flight}); pets that only ticked wait in the {@link TickLane} for its next flush.
 * The batch is acknowledged by hand once both lanes have it in PostgreSQL, so the commit strategy never commits an
 * offset whose state is not there.
 */
@Startup // registers its meters at start, not on the first batch
@ApplicationScoped
public class PetStateConsumer {
    private final PetTable pets;
    private final DeadLetterTopic deadLetters;
    private final TickLane ticks;
    private final BatchesInFlight inFlight;
    private final DistributionSummary batchRecords;
    private final Timer lifecycleVisibility;

    public PetStateConsumer(PetTable pets, DeadLetterTopic deadLetters, TickLane ticks, PersistenceSettings settings,
                            MeterRegistry registry) {
        this.pets = pets;
        this.deadLetters = deadLetters;
        this.ticks = ticks;
        this.inFlight = new BatchesInFlight(settings.lifecycleBatchesInFlight());
        this.batchRecords = DistributionSummary.builder("livepet.persistence.batch.records")
                .description("pet-state records per consumed batch, before coalescing").publishPercentileHistogram()
                .register(registry);
        this.lifecycleVisibility = Timer.builder("livepet.persistence.lifecycle.visibility")
                .description("per lifecycle write, the event time of its oldest change to its commit in PostgreSQL:"
                        + " the lifecycle lane's lag")
                .publishPercentileHistogram().register(registry);
    }

    @Incoming("pet-state")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> persist(KafkaRecordBatch<String, byte[]> records) {
        ConsumerRecords<String, byte[]> polled = records.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .orElseThrow().<String, byte[]>getRecords();
        batchRecords.record(polled.count());
        // plain ticks straight into their partition's lane, read at both ends only; the rest read whole
        TickPeek peek = new TickPeek();
        Set<Integer> ticked = new HashSet<>();
        List<StateRecord> others = new ArrayList<>();
        for (TopicPartition partition : polled.partitions()) {
            PendingTicks<Message<?>> lane = ticks.lane(partition.partition());
            for (ConsumerRecord<String, byte[]> r : polled.records(partition)) {
                if (peek.read(r.value()) && peek.isKeyOfThisPet(r.key())) {
                    lane.hold(peek.id(), peek.version(), peek.at(), r.value(), r.offset());
                    ticked.add(r.partition());
                } else {
                    others.add(new StateRecord(r.key(), r.value(), r.partition(), r.offset()));
                }
            }
        }
        PetBatch batch = PetBatch.coalesce(others);
        for (LatestState tick : batch.ticksOnly()) {
            ticks.lane(tick.record().partition()).hold(tick);
            ticked.add(tick.record().partition());
        }
        List<LatestState> lifecycle = batch.lifecycle();
        // started now, acknowledged when written; the next poll is read meanwhile, up to the batches in flight
        return Uni.createFrom().completionStage(
                inFlight.admit(write(records, batch, ticked).subscribeAsCompletionStage()));
    }

    private Uni<Void> write(KafkaRecordBatch<String, byte[]> records, PetBatch batch, Set<Integer> ticked) {
        List<LatestState> lifecycle = batch.lifecycle();
        return pets.write(lifecycle)
                .invoke(() -> recordVisibility(lifecycle))
                .chain(refused -> deadLetters.send(concat(batch.poison(), refused)))
                .chain(() -> {
                    // a partition's part of the batch is acknowledged at once, or, if it held ticks, by their flush
                    Map<Integer, Message<?>> byTheFlush = new HashMap<>();
                    List<Uni<Void>> now = new ArrayList<>();
                    records.getLatestOffsetRecords().forEach((partition, latest) -> {
                        if (ticked.contains(partition.partition())) {
                            byTheFlush.put(partition.partition(), latest);
                        } else {
                            now.add(Uni.createFrom().completionStage(latest::ack));
                        }
                    });
                    Uni<Void> flushed = ticks.waitFor(byTheFlush);
                    return now.isEmpty() ? flushed : Uni.join().all(now).andFailFast().chain(() -> flushed);
                })
                .onFailure().call(e -> Uni.createFrom().completionStage(records.nack(e)));
    }

    private void recordVisibility(List<LatestState> written) {
        // once per write, its oldest change: a timer per pet took a tenth of the service's CPU on a backlog
        if (written.isEmpty()) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (LatestState pet : written) {
            oldest = Math.min(oldest, pet.state().at());
        }
        lifecycleVisibility.record(Math.max(0, System.currentTimeMillis() - oldest), TimeUnit.MILLISECONDS);
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
