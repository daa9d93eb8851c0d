package dev.livepet.viewer.accounts.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MailTokenTest {
    @Test
    void aTokenIsUrlSafeRandomAndOnlyItsHashIsKept() {
        String token = MailToken.fresh();
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(MailToken.fresh()).isNotEqualTo(token);
        assertThat(MailToken.looksValid(token)).isTrue();
        assertThat(MailToken.hash(token)).hasSize(64).matches("[0-9a-f]+").isEqualTo(MailToken.hash(token))
                .isNotEqualTo(MailToken.hash(MailToken.fresh()));
        // SHA-256 of "abc", as every implementation has it
        assertThat(MailToken.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void anythingElseIsNotAToken() {
        assertThat(MailToken.looksValid(null)).isFalse();
        assertThat(MailToken.looksValid("short")).isFalse();
        assertThat(MailToken.looksValid("é".repeat(43))).isFalse();
        assertThat(MailToken.looksValid("<".repeat(43))).isFalse();
    }
}
