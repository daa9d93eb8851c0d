package dev.livepet.viewer.live;

import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PoisonRecordException;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The whole pet-state stream from the moment this instance started; only records of watched pets are parsed
 * (the key decides), everything else is dropped as bytes.
 */
@ApplicationScoped
public class PetStateStream {
    private static final Logger LOG = Logger.getLogger(PetStateStream.class);

    private final PetWatches watches;

    public PetStateStream(PetWatches watches) {
        this.watches = watches;
    }

    @Incoming("pet-state")
    public void onStates(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            WatchedPet pet = watches.watched(record.key());
            if (pet != null) {
                show(pet, record);
            }
        }
    }

    private static void show(WatchedPet pet, ConsumerRecord<String, byte[]> record) {
        PetState state;
        try {
            state = PetJson.state(record.value());
        } catch (PoisonRecordException e) {
            // the persistence service dead-letters poison; a viewer only skips it
            LOG.warnf("skipped pet-state record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        if (!state.key().equals(record.key())) {
            LOG.warnf("skipped pet-state record %s-%d@%d: key %s holds pet %d", record.topic(), record.partition(),
                    record.offset(), record.key(), state.id());
            return;
        }
        pet.offer(state);
    }
}
