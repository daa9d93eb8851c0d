package dev.livepet.viewer.player;

/** Who is playing: the id of their account, as a string (pet owners and commands carry it). */
public record Player(String id) {
    public Player {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a player needs an id");
        }
    }
}
