package dev.livepet.viewer.pets;

import dev.livepet.contract.PetCommand;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Sends players' commands to pet-commands, keyed by pet id so that each lands in its pet's partition. */
@ApplicationScoped
public class PetCommandSender {
    private final MutinyEmitter<String> commands;

    public PetCommandSender(@Channel("pet-commands") MutinyEmitter<String> commands) {
        this.commands = commands;
    }

    /** Completes once the broker has acknowledged the command, fails if it did not take it. */
    public Uni<Void> send(PetCommand command) {
        return commands.sendMessage(KafkaRecord.of(PetPartitioner.key(command.petId()), PetJson.writeString(command)));
    }
}
