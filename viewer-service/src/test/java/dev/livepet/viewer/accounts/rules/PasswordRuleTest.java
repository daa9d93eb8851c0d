package dev.livepet.viewer.accounts.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordRuleTest {
    private final PasswordRule rule = new PasswordRule(12, 72);

    @Test
    void twelveToSeventyTwoCharactersAreAPassword() {
        assertThat(rule.problem("x".repeat(12))).isEmpty();
        assertThat(rule.problem("x".repeat(72))).isEmpty();
        assertThat(rule.problem("x".repeat(11))).hasValue("A password must be 12 to 72 characters long.");
        assertThat(rule.problem("x".repeat(73))).hasValue("A password must be 12 to 72 characters long.");
        assertThat(rule.problem(null)).isPresent();
    }

    @Test
    void morePasswordThanBcryptReadsIsRefusedRatherThanCut() {
        // 40 characters, 80 bytes in UTF-8: bcrypt would ignore the last 8
        assertThat(rule.problem("é".repeat(40))).hasValueSatisfying(s -> assertThat(s).contains("too long in bytes"));
        assertThat(rule.problem("é".repeat(36))).isEmpty();
    }

    @Test
    void aRuleBeyondBcryptCannotBeMade() {
        assertThatThrownBy(() -> new PasswordRule(12, 73)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordRule(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
