package dev.livepet.viewer.live;

import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PoisonRecordException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The whole pet-state stream from the moment this instance started, as {@code PetStateConsumer} polls it; only
 * records of watched pets are parsed (the key decides), everything else is dropped as bytes.
 */
@ApplicationScoped
public class PetStateStream {
    private static final Logger LOG = Logger.getLogger(PetStateStream.class);

    private final PetWatches watches;
    private final Counter skipped;
    private final Executor shows;

    public PetStateStream(PetWatches watches, MeterRegistry registry) {
        this.watches = watches;
        this.shows = Infrastructure.getDefaultWorkerPool();
        this.skipped = Counter.builder("livepet.viewer.poison.records")
                .description("pet-state records of watched pets that could not be shown (the persistence service "
                        + "dead-letters them); each is logged once and skipped").register(registry);
    }

    /**
     * On the consuming thread, for every poll: picks out the records of watched pets and shows them on a worker
     * thread, so that rendering and sending cards never holds up reading the stream. Polls shown out of order are
     * harmless: a pet and a browser only ever move to a newer version.
     */
    public void onStates(ConsumerRecords<String, byte[]> records) {
        List<Watched> watched = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            WatchedPet pet = watches.watched(record.key());
            if (pet != null) {
                if (watched == null) {
                    watched = new ArrayList<>();
                }
                watched.add(new Watched(pet, record));
            }
        }
        if (watched != null) {
            List<Watched> these = watched;
            shows.execute(() -> these.forEach(this::show));
        }
    }

    private void show(Watched watched) {
        try {
            show(watched.pet(), watched.record());
        } catch (RuntimeException e) {
            // whatever one record does, the stream (and every other browser) goes on
            skip(watched.record(), e.toString());
        }
    }

    private void show(WatchedPet pet, ConsumerRecord<String, byte[]> record) {
        PetState state;
        try {
            state = PetJson.state(record.value());
        } catch (PoisonRecordException e) {
            // the persistence service dead-letters poison; a viewer, one of many readers, only skips it
            skip(record, e.getMessage());
            return;
        }
        if (!state.key().equals(record.key())) {
            skip(record, "its key holds pet " + state.id());
            return;
        }
        if (pet.latest() == null) {
            LOG.debugf("the first state of pet %d here: version %d from %s-%d@%d", state.id(), state.version(),
                    record.topic(), record.partition(), record.offset());
        }
        pet.offer(state);
    }

    private record Watched(WatchedPet pet, ConsumerRecord<String, byte[]> record) {
    }

    private void skip(ConsumerRecord<String, byte[]> record, String reason) {
        skipped.increment();
        LOG.warnf("skipped pet-state record %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                PoisonRecordException.excerpt(record.key()), reason);
    }
}
