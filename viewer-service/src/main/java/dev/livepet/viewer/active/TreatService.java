package dev.livepet.viewer.active;

import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetState;
import dev.livepet.viewer.active.rules.TreatPurse;
import dev.livepet.viewer.active.rules.TreatRule;
import dev.livepet.viewer.limits.PlayerRateLimits;
import dev.livepet.viewer.pages.PetProblem;
import dev.livepet.viewer.pets.PetCommandSender;
import dev.livepet.viewer.pets.PetService;
import dev.livepet.viewer.player.Player;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.UUID;

/** Giving other players' pets treats from a purse that refills. */
@ApplicationScoped
public class TreatService {
    private static final Logger LOG = Logger.getLogger(TreatService.class);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** What a give did: the pet that gets the treat, what is left in the giver's purse, the treat's command id. */
    public record TreatGiven(PetState pet, TreatPurse purse, String commandId) {
    }

    private final PetService pets;
    private final TreatPurses purses;
    private final PlayerRateLimits limits;
    private final PetCommandSender commands;
    private final TreatsConfig config;
    private final Clock clock = Clock.systemUTC();

    public TreatService(PetService pets, TreatPurses purses, PlayerRateLimits limits, PetCommandSender commands,
                        TreatsConfig config) {
        this.pets = pets;
        this.purses = purses;
        this.limits = limits;
        this.commands = commands;
        this.config = config;
    }

    /** The refill period now. */
    public long period() {
        return TreatPurse.periodAt(clock.instant(), config.refillEvery());
    }

    /** The player's purse as it is now (full when never used or refilled since). */
    public Uni<TreatPurse> purse(Player player) {
        long now = period();
        return purses.of(player.id()).map(stored -> stored.orElse(TreatPurse.full(config.purse(), now))
                .in(now, config.purse()));
    }

    /**
     * Takes a treat from the giver's purse and sends the pet a treat; {@code page} is the pet whose page the giver
     * is on (they cannot treat it). Completes once the broker has the command.
     */
    public Uni<TreatGiven> give(Player giver, long petId, OptionalLong page) {
        return limits.admit(giver, PlayerRateLimits.Action.TREAT)
                .chain(() -> pets.find(petId))
                .map(found -> {
                    PetState pet = found.orElseThrow(() -> PetProblem.notFound("There is no pet with id " + petId + "."));
                    TreatRule.refusal(pet, giver.id(), page).ifPresent(refusal -> {
                        throw switch (refusal) {
                            case THIS_PAGE -> PetProblem.conflict("You cannot give a treat to the pet whose page you are on.");
                            case OWN_PET -> PetProblem.forbidden(pet.name() + " is yours: give it a meal instead.");
                            case DEAD -> PetProblem.conflict(pet.name() + " has died of old age and cannot eat any more.");
                        };
                    });
                    return pet;
                })
                .chain(pet -> {
                    long period = period();
                    return purses.give(giver.id(), period, config.purse()).chain(left -> {
                        if (left.isEmpty()) {
                            return Uni.createFrom().failure(PetProblem.conflict("You have no treats left. You get "
                                    + config.purse() + " again at "
                                    + HOUR.format(TreatPurse.refillAfter(period, config.refillEvery())) + "."));
                        }
                        FeedCommand treat = new FeedCommand(UUID.randomUUID().toString(), petId, Food.TREAT, giver.id());
                        return commands.send(treat)
                                .onFailure().call(e -> {
                                    LOG.warnf("a treat for pet %d was not sent, giving it back: %s", petId, e.toString());
                                    return purses.refund(giver.id(), left.get().period(), config.purse());
                                })
                                .replaceWith(new TreatGiven(pet, left.get(), treat.commandId()));
                    });
                });
    }
}
