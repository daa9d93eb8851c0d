package dev.livepet.viewer.player;

/** Who is playing. For now an anonymous id; accounts will change how a player is found, not what one is. */
public record Player(String id) {
    public Player {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a player needs an id");
        }
    }
}
