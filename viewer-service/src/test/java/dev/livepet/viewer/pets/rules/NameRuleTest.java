package dev.livepet.viewer.pets.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NameRuleTest {
    private final NameRule rule = new NameRule(3, 100);

    @ParameterizedTest
    @ValueSource(strings = {"Rex", "Biscuit the Brave", "Zoë", "🐱🐱🐱", "  Tom  "})
    void aNameOfThreeToAHundredCharactersIsFine(String name) {
        assertThat(rule.problem(name)).isEmpty();
    }

    @Test
    void exactlyTheLimitsAreFine() {
        assertThat(rule.problem("abc")).isEmpty();
        assertThat(rule.problem("x".repeat(100))).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"ab", "   ", "  ab  ", "🐱🐱"})
    void aShorterNameIsRefusedWithASentence(String name) {
        assertThat(rule.problem(name)).contains("A pet's name must be 3 to 100 characters long.");
    }

    @Test
    void aLongerNameIsRefusedWithASentence() {
        assertThat(rule.problem("x".repeat(101))).contains("A pet's name must be 3 to 100 characters long.");
    }

    @Test
    void charactersAreCountedAsAPersonCountsThemNotAsUtf16Units() {
        // 100 cats are 200 UTF-16 units
        assertThat(rule.problem("🐱".repeat(100))).isEmpty();
        assertThat(rule.problem("🐱".repeat(101))).isPresent();
    }

    @Test
    void aNameIsOneLineOfPlainText() {
        assertThat(rule.problem("Rex\nRoy")).contains("A pet's name must be plain text on one line.");
        assertThat(rule.problem("Rex\u0000")).contains("A pet's name must be plain text on one line.");
    }

    @Test
    void theNameKeptHasNoSpacesAround() {
        assertThat(rule.clean("  Biscuit the Brave \t")).isEqualTo("Biscuit the Brave");
        assertThat(rule.clean(null)).isEmpty();
    }

    @Test
    void theLimitsAreSettings() {
        NameRule shortNames = new NameRule(2, 5);
        assertThat(shortNames.problem("ab")).isEmpty();
        assertThat(shortNames.problem("abcdef")).contains("A pet's name must be 2 to 5 characters long.");
    }
}
