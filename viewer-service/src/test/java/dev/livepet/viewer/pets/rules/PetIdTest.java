package dev.livepet.viewer.pets.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PetIdTest {
    @Test
    void aPositiveDecimalIsAPetId() {
        assertThat(PetId.parse("1")).hasValue(1);
        assertThat(PetId.parse("9007199254740991")).hasValue(9007199254740991L);
        assertThat(PetId.parse("9223372036854775807")).hasValue(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"abc", "0", "-5", "+5", "1.5", " 12", "12 ", "0x1F", "9223372036854775808", "١٢"})
    void anythingElseIsNot(String text) {
        assertThat(PetId.parse(text)).isEmpty();
    }
}
