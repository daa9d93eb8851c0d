package dev.livepet.viewer.player.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionPrincipalTest {
    @Test
    void anAccountIdAndAGenerationMakeThePrincipalAndThePlayerIsTheAccountAlone() {
        SessionPrincipal session = SessionPrincipal.parse("42.3").orElseThrow();
        assertThat(session.accountId()).isEqualTo(42);
        assertThat(session.generation()).isEqualTo(3);
        assertThat(session.playerId()).isEqualTo("42");
        assertThat(session.name()).isEqualTo("42.3");
        assertThat(SessionPrincipal.parse("9223372036854775807.2147483647")).hasValue(
                new SessionPrincipal(Long.MAX_VALUE, Integer.MAX_VALUE));
        assertThat(SessionPrincipal.parse(new SessionPrincipal(7, 0).name())).hasValue(new SessionPrincipal(7, 0));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"42", "42.", ".3", "42.3.1", "0.1", "-4.1", "+4.1", "04.1", "4.01", "4.-1", "4.+1", " 4.1",
            "4.1 ", "4,1", "4 1", "9223372036854775808.1", "4.2147483648", "٤.١", "abc"})
    void theEarlierFormAndAnythingElseIsNoSession(String text) {
        assertThat(SessionPrincipal.parse(text)).isEmpty();
    }

    @Test
    void aSessionNeedsAnAccountAndAGenerationOfZeroOrMore() {
        assertThatThrownBy(() -> new SessionPrincipal(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionPrincipal(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
