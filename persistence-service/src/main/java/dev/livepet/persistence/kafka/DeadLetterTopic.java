package dev.livepet.persistence.kafka;

import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.Topics;
import dev.livepet.persistence.PersistenceSettings;
import dev.livepet.persistence.domain.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code pet-state.dlq}: records that can never be persisted, key and value unchanged, with the reason in a header. */
@Startup // registers its meters at start, not on the first batch
@ApplicationScoped
public class DeadLetterTopic {
    static final String CHANNEL = "pet-state-dlq";
    private static final Logger LOG = Logger.getLogger(DeadLetterTopic.class);
    private static final byte[] NO_VALUE = new byte[0];

    private final MutinyEmitter<byte[]> emitter;
    private final PersistenceSettings settings;
    private final Counter sent;

    public DeadLetterTopic(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter, PersistenceSettings settings,
                           MeterRegistry registry) {
        this.emitter = emitter;
        this.settings = settings;
        this.sent = Counter.builder("livepet.persistence.dead.letters")
                .description("pet-state records sent to pet-state.dlq").register(registry);
    }

    /** Completes once the broker has every letter, so that the batch's offsets are committed only after that. */
    public Uni<Void> send(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(letters)
                .onItem().transformToUniAndConcatenate(this::send)
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> send(DeadLetter letter) {
        var record = letter.record();
        LOG.warnf("pet-state record at partition %d offset %d (key %s) goes to %s: %s", record.partition(),
                record.offset(), record.key() == null ? null
                        : PoisonRecordException.excerpt(new String(record.key(), StandardCharsets.UTF_8)),
                Topics.deadLetters(Topics.PET_STATE), letter.reason());
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DLQ_REASON_HEADER, letter.reason().getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_ORIGIN_HEADER, Topics.deadLetterOrigin(Topics.PET_STATE, record.partition(), record.offset()));
        // cut to the contract's limit: a letter the broker refused would be retried forever and stop this consumer
        Message<byte[]> message = Message.of(record.value() == null ? NO_VALUE : Topics.keptInDeadLetter(record.value()))
                .addMetadata(OutgoingKafkaRecordMetadata.<byte[]>builder()
                        .withKey(Topics.keptInDeadLetter(record.key())).withHeaders(headers).build());
        PersistenceSettings.Retry retry = settings.retry();
        return emitter.sendMessage(message)
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff()).indefinitely()
                .invoke(() -> sent.increment());
    }
}
