package dev.livepet.viewer.pets;

import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.viewer.stream.FeedsInFlight;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends players' commands to pet-commands, keyed by pet id so that each lands in its pet's partition. With tracing on,
 * the messaging connector writes the request's trace context into the record's headers ({@code traceparent}), and
 * the simulator continues it. A meal or a treat is timed to its frame ({@link FeedsInFlight}).
 */
@ApplicationScoped
public class PetCommandSender {
    private final MutinyEmitter<String> commands;
    private final FeedsInFlight feeds;

    public PetCommandSender(@Channel("pet-commands") MutinyEmitter<String> commands, FeedsInFlight feeds) {
        this.commands = commands;
        this.feeds = feeds;
    }

    /** Completes once the broker has acknowledged the command, fails if it did not take it. */
    public Uni<Void> send(PetCommand command) {
        if (command instanceof FeedCommand feed) {
            feeds.sent(feed.commandId());
        }
        return commands.sendMessage(KafkaRecord.of(PetPartitioner.key(command.petId()), PetJson.writeString(command)));
    }
}
