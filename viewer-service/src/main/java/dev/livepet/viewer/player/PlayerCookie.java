package dev.livepet.viewer.player;

import dev.livepet.viewer.config.ViewerConfig;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.quarkus.websockets.next.HandshakeRequest;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * The one place that answers "who is this?": an anonymous player id (a random UUID) kept in an HttpOnly,
 * SameSite=Lax cookie that the first visit sets. Accounts will replace this class.
 */
@ApplicationScoped
public class PlayerCookie {
    private static final String REQUEST_KEY = Player.class.getName();

    private final RoutingContext request;
    private final ViewerConfig.PlayerCookieConfig config;

    /** {@code request} is the current HTTP request (a request-scoped proxy). */
    public PlayerCookie(RoutingContext request, ViewerConfig config) {
        this.request = request;
        this.config = config.playerCookie();
    }

    /** The player of the current HTTP request; a newcomer gets a new id and the cookie with this response. */
    public Player current() {
        Player known = request.get(REQUEST_KEY);
        if (known != null) {
            return known;
        }
        Cookie cookie = request.request().getCookie(config.name());
        Player player = playerIn(cookie == null ? null : cookie.getValue()).orElseGet(this::newcomer);
        request.put(REQUEST_KEY, player);
        return player;
    }

    /** The player who opened a WebSocket, when their browser sent the cookie. */
    public Optional<Player> of(HandshakeRequest handshake) {
        for (String header : handshake.headers("Cookie")) {
            for (io.netty.handler.codec.http.cookie.Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                if (c.name().equals(config.name())) {
                    return playerIn(c.value());
                }
            }
        }
        return Optional.empty();
    }

    private Player newcomer() {
        Player player = new Player(UUID.randomUUID().toString());
        request.response().addCookie(Cookie.cookie(config.name(), player.id())
                .setPath("/")
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX)
                .setSecure(config.secure())
                .setMaxAge(config.maxAge().toSeconds()));
        return player;
    }

    // only ids this class could have issued: anything else starts a new player
    private static Optional<Player> playerIn(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(value);
            return id.toString().equals(value) ? Optional.of(new Player(value)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
