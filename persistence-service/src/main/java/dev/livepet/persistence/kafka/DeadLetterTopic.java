package dev.livepet.persistence.kafka;

import dev.livepet.contract.DeadLetter;
import dev.livepet.contract.Topics;
import dev.livepet.persistence.PersistenceSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;

/** Sends the contract's {@link DeadLetter}s of {@code pet-state} to {@code pet-state.dlq}, retrying until the broker has them. */
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
        this.sent = Counter.builder("livepet.persistence.dead.letters").tag("topic", Topics.deadLetters(Topics.PET_STATE))
                .description("pet-state records that can never be persisted, sent to their dead-letter topic")
                .register(registry);
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
        LOG.warnf("%s (key %s) goes to %s: %s", letter.origin(), letter.keyExcerpt(),
                Topics.deadLetters(letter.topic()), letter.reason());
        ProducerRecord<byte[], byte[]> record = letter.toRecord();
        Message<byte[]> message = Message.of(record.value() == null ? NO_VALUE : record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<byte[]>builder().withTopic(record.topic())
                        .withKey(record.key()).withHeaders(record.headers()).build());
        PersistenceSettings.Retry retry = settings.retry();
        return emitter.sendMessage(message)
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff()).indefinitely()
                .invoke(() -> sent.increment());
    }
}
