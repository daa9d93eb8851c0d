package dev.livepet.viewer.limits.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateWindowTest {
    @Test
    void upToTheLimitInOneWindow() {
        RateWindow window = new RateWindow(3, Duration.ofSeconds(10));
        assertThat(window.allows(1)).isTrue();
        assertThat(window.allows(3)).isTrue();
        assertThat(window.allows(4)).isFalse();
    }

    @Test
    void windowsAreFixedSlicesOfTime() {
        RateWindow window = new RateWindow(3, Duration.ofSeconds(10));
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        assertThat(window.windowAt(t.plusMillis(9_999))).isEqualTo(window.windowAt(t));
        assertThat(window.windowAt(t.plusSeconds(10))).isEqualTo(window.windowAt(t) + 1);
        assertThatThrownBy(() -> new RateWindow(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWindowIsSpokenAsASentenceSaysIt() {
        assertThat(RateWindow.spoken(Duration.ofSeconds(10))).isEqualTo("10 seconds");
        assertThat(RateWindow.spoken(Duration.ofMinutes(1))).isEqualTo("minute");
        assertThat(RateWindow.spoken(Duration.ofMinutes(90))).isEqualTo("90 minutes");
        assertThat(RateWindow.spoken(Duration.ofHours(1))).isEqualTo("hour");
        assertThat(RateWindow.spoken(Duration.ofHours(24))).isEqualTo("24 hours");
    }
}
