package dev.livepet.viewer.stream.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BacklogRuleTest {
    private final BacklogRule rule = new BacklogRule(Duration.ofSeconds(5), 1_000);
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void aPartitionMoreThanATickBehindWithABacklogIsSkipped() {
        assertThat(rule.skips(50_000, NOW - 5_001, NOW)).isTrue();
        assertThat(rule.skips(1_000, NOW - 60_000, NOW)).isTrue();
    }

    @Test
    void aPartitionWithinATickIsReadRecordByRecord() {
        assertThat(rule.skips(50_000, NOW - 5_000, NOW)).isFalse();
        assertThat(rule.skips(50_000, NOW - 200, NOW)).isFalse();
    }

    @Test
    void aFewRecordsBehindAreReadHoweverOldTheyLook() {
        // a simulator whose clock is a minute behind this host's: its records look old, yet the viewer keeps up
        assertThat(rule.skips(999, NOW - 60_000, NOW)).isFalse();
        assertThat(rule.skips(0, NOW - 60_000, NOW)).isFalse();
    }

    @Test
    void recordsFromTheFutureAreNeverBehind() {
        assertThat(rule.skips(50_000, NOW + 60_000, NOW)).isFalse();
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new BacklogRule(Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BacklogRule(Duration.ofSeconds(5), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
