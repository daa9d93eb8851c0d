package dev.livepet.viewer.pets;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetState;
import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.limits.LimitsConfig;
import dev.livepet.viewer.limits.PlayerRateLimits;
import dev.livepet.viewer.pages.PetProblem;
import dev.livepet.viewer.pets.rules.AdoptionForm;
import dev.livepet.viewer.pets.rules.MealRule;
import dev.livepet.viewer.pets.rules.NewPetId;
import dev.livepet.viewer.player.Player;
import dev.livepet.viewer.stream.PetRepository;
import dev.livepet.viewer.stream.PetRow;
import dev.livepet.viewer.stream.PetWatches;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What players do with pets: look at them, adopt them, feed them. */
@ApplicationScoped
public class PetService {
    private static final Logger LOG = Logger.getLogger(PetService.class);
    public static final String NOT_YOURS = "You do not have permission to view that pet";
    public static final String NOT_FOUND = "Pet not found";
    private final PetRepository repository;
    private final PetWatches watches;
    private final PetCommandSender commands;
    private final ViewerConfig viewer;
    private final WorldConfig world;
    private final PlayerRateLimits limits;
    private final int alivePets;
    private final NewPetId newPetIds = NewPetId.withRandomSecret();

    public PetService(PetRepository repository, PetWatches watches, PetCommandSender commands,
                      ViewerConfig viewer, WorldConfig world, PlayerRateLimits limits, LimitsConfig limitsConfig) {
        this.repository = repository;
        this.watches = watches;
        this.commands = commands;
        this.viewer = viewer;
        this.world = world;
        this.limits = limits;
        this.alivePets = limitsConfig.alivePets();
    }

    /**
     * The newest state known: the live stream's if this instance watches the pet (it is ahead), else the read model's,
     * unless the stream holds a newer one (an event PostgreSQL has not written yet), brought to its partition's tick.
     */
    public Uni<Optional<PetState>> find(long petId) {
        Optional<PetState> live = watches.latest(petId);
        // the stream may overtake the read (a just adopted pet's first state): the newer one wins
        return live.isPresent() ? Uni.createFrom().item(live)
                : repository.state(petId).map(stored -> watches.newest(petId, stored));
    }

    /** A pet this instance adopted moments ago, for when no state of it is found (its first may have just come). */
    public Optional<AdoptCommand> hatching(long petId) {
        return watches.hatching(petId);
    }

    /** The player's pets, alive and dead, newest first, as stored (with their birthdays). */
    public Uni<List<PetRow>> ownedBy(Player player) {
        return repository.ownedBy(player.id(), viewer.ownPets());
    }

    /**
     * Asks the world for a new pet and completes, with its id, once the broker has the command. The id follows
     * from the form's command id, so a form sent twice asks for the same pet twice: one command, applied once.
     */
    public Uni<Long> adopt(Player player, AdoptionForm form, String commandId) {
        List<String> problems = form.problems(world.nameRule());
        if (!problems.isEmpty()) {
            return Uni.createFrom().failure(PetProblem.badRequest(problems.get(0)));
        }
        long petId = newPetIds.forCommand(commandId);
        AdoptCommand adoption = new AdoptCommand(commandId, petId, player.id(), world.nameRule().clean(form.name()),
                form.chosenSpecies().orElseThrow());
        return limits.admit(player, PlayerRateLimits.Action.ADOPT)
                .chain(() -> repository.aliveOwnedBy(player.id()))
                .invoke(alive -> {
                    // as PostgreSQL has them: the last moments' adoptions may be missing; the hourly limit bounds that
                    if (alive >= alivePets) {
                        throw PetProblem.conflict("You already keep " + alive + " living pets, the most one player may."
                                + " Adopt another once one of them has died of old age.");
                    }
                })
                // watch before sending: the adopted state may come back before the browser connects
                .invoke(() -> watches.holdForAdoption(adoption, viewer.adoptionWatch()))
                .chain(() -> commands.send(adoption))
                .invoke(() -> LOG.debugf("the broker has the adoption of pet %d (%s) by %s", petId, commandId, player.id()))
                .replaceWith(petId);
    }

    /** A meal sent: the pet as it was before eating, and the id of the command that carries the meal. */
    public record MealSent(PetState pet, String commandId) {
    }

    /** Sends the owner's meal; completes once the broker has the command. */
    public Uni<MealSent> feedMeal(Player player, long petId) {
        return limits.admit(player, PlayerRateLimits.Action.FEED).chain(() -> find(petId)).map(found -> {
            PetState pet = found.orElseThrow(() -> hatching(petId)
                    .<PetProblem>map(a -> a.owner().equals(player.id())
                            ? PetProblem.conflict(a.name() + " is still hatching. Feed it in a moment.")
                            : PetProblem.forbidden(NOT_YOURS + "."))
                    .orElseGet(() -> PetProblem.notFound(NOT_FOUND + ".")));
            MealRule.refusal(pet, player.id()).ifPresent(refusal -> {
                throw switch (refusal) {
                    // any player may visit the pet, so its name says nothing new
                    case NOT_OWNER -> pet.alive()
                            ? PetProblem.forbidden(pet.name() + " is not yours: only its owner feeds it. Give it a treat instead.")
                            : PetProblem.conflict(pet.name() + " has died of old age and cannot eat any more.");
                    case DEAD -> PetProblem.conflict(pet.name() + " has died of old age and cannot eat any more.");
                };
            });
            return pet;
        }).flatMap(pet -> {
            FeedCommand meal = new FeedCommand(UUID.randomUUID().toString(), petId, Food.MEAL, player.id());
            return commands.send(meal).replaceWith(new MealSent(pet, meal.commandId()));
        });
    }
}
