package dev.livepet.viewer.limits;

import dev.livepet.viewer.limits.rules.RateWindow;
import dev.livepet.viewer.pages.PetProblem;
import dev.livepet.viewer.player.Player;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/** Feeds, treats and adoptions per player and window, the same on every instance; too many is a 429 with a sentence. */
@ApplicationScoped
public class PlayerRateLimits {
    public enum Action {
        FEED("feed", "meals"), TREAT("treat", "treats"), ADOPT("adopt", "adoptions");

        final String key;
        final String plural;

        Action(String key, String plural) {
            this.key = key;
            this.plural = plural;
        }

        /** What the action is counted under in the shared windows. */
        public String key() {
            return key;
        }
    }

    private final RateWindows windows;
    private final LimitsConfig limits;
    private final Clock clock = Clock.systemUTC();

    public PlayerRateLimits(RateWindows windows, LimitsConfig limits) {
        this.windows = windows;
        this.limits = limits;
    }

    /** Completes when the player may do it once more now; fails with a 429 when they have done it too often. */
    public Uni<Void> admit(Player player, Action action) {
        RateWindow window = switch (action) {
            case FEED -> limits.feedWindow();
            case TREAT -> limits.treatWindow();
            case ADOPT -> limits.adoptWindow();
        };
        return windows.use(player.id(), action.key, window.windowAt(clock.instant())).invoke(used -> {
            if (!window.allows(used)) {
                throw new PetProblem(429, "Slow down: at most " + window.limit() + " " + action.plural + " every "
                        + RateWindow.spoken(window.length()) + ". Try again later.");
            }
        }).replaceWithVoid();
    }
}
