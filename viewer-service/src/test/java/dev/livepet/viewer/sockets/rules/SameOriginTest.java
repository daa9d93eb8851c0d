package dev.livepet.viewer.sockets.rules;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SameOriginTest {
    private static final Optional<String> NONE = Optional.empty();

    @Test
    void aPageOfTheHostTheSocketWasSentToMayOpenIt() {
        assertThat(SameOrigin.allows("http://localhost:8080", "localhost:8080", NONE)).isTrue();
        assertThat(SameOrigin.allows("https://LivePet.example", "livepet.example", NONE)).isTrue();
        assertThat(SameOrigin.allows("https://livepet.example:443", "livepet.example", NONE)).isTrue();
        assertThat(SameOrigin.allows("http://livepet.example", "livepet.example:80", NONE)).isTrue();
    }

    @Test
    void theWorldsPublicAddressMayOpenItWhateverTheHostBehindTheProxy() {
        assertThat(SameOrigin.allows("https://livepet.example", "viewer-service:8080",
                Optional.of("https://livepet.example"))).isTrue();
    }

    @Test
    void anotherSitesPageMayNot() {
        assertThat(SameOrigin.allows("https://attacker.example", "livepet.example", NONE)).isFalse();
        assertThat(SameOrigin.allows("http://localhost:9999", "localhost:8080", NONE)).isFalse();
        assertThat(SameOrigin.allows("https://livepet.example.attacker.example", "livepet.example",
                Optional.of("https://livepet.example"))).isFalse();
        assertThat(SameOrigin.allows("null", "livepet.example", NONE)).as("a sandboxed frame").isFalse();
        assertThat(SameOrigin.allows("file://", "livepet.example", NONE)).isFalse();
        assertThat(SameOrigin.allows("https://livepet.example", null, NONE)).isFalse();
    }

    @Test
    void aClientWithoutOriginIsNoBrowserAndCarriesNoPlayersCookiesByItself() {
        assertThat(SameOrigin.allows(null, "livepet.example", NONE)).isTrue();
    }
}
