package dev.livepet.viewer.sockets.rules;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a browser's WebSocket upgrade comes from one of our own pages: its Origin names the host it was sent to
 * (or the world's public address). A browser always sends Origin on an upgrade and a page cannot forge it, so another
 * site's page cannot open a player's live socket with the player's cookies; a client without Origin is no browser.
 */
public final class SameOrigin {
    private SameOrigin() {
    }

    /** {@code origin}: the Origin header or null; {@code host}: the Host header; {@code publicUrl}: if configured. */
    public static boolean allows(String origin, String host, Optional<String> publicUrl) {
        if (origin == null) {
            return true;
        }
        Optional<Authority> from = Authority.ofUrl(origin);
        if (from.isEmpty()) {
            return false;
        }
        Optional<Authority> sentTo = Authority.ofHost(host, from.get().port());
        return sentTo.equals(from) || publicUrl.flatMap(Authority::ofUrl).equals(from);
    }

    private record Authority(String host, int port) {
        static Optional<Authority> ofUrl(String url) {
            try {
                URI uri = new URI(url.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                int standard = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
                if (standard < 0 || uri.getHost() == null) {
                    return Optional.empty();
                }
                return Optional.of(new Authority(uri.getHost().toLowerCase(Locale.ROOT),
                        uri.getPort() < 0 ? standard : uri.getPort()));
            } catch (Exception e) {
                return Optional.empty();
            }
        }

        // a Host without a port is on the port the Origin's scheme implies: a proxy in front ends TLS on 443
        static Optional<Authority> ofHost(String host, int impliedPort) {
            return host == null || host.isBlank() ? Optional.empty()
                    : ofUrl("http://" + host.strip()).map(a -> host.strip().matches(".*:\\d+$") ? a
                    : new Authority(a.host(), impliedPort));
        }
    }
}
