package dev.livepet.viewer.player.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionPrincipalTest {
    private static final String ID = "AbCdEfGhIjKlMnOpQrSt-_";

    @Test
    void anAccountIdAGenerationAndASessionMakeThePrincipalAndThePlayerIsTheAccountAlone() {
        SessionPrincipal session = SessionPrincipal.parse("42.3." + ID).orElseThrow();
        assertThat(session.accountId()).isEqualTo(42);
        assertThat(session.generation()).isEqualTo(3);
        assertThat(session.id()).isEqualTo(ID);
        assertThat(session.playerId()).isEqualTo("42");
        assertThat(session.name()).isEqualTo("42.3." + ID);
        assertThat(SessionPrincipal.parse("9223372036854775807.2147483647." + ID)).hasValue(
                new SessionPrincipal(Long.MAX_VALUE, Integer.MAX_VALUE, ID));
        SessionPrincipal fresh = SessionPrincipal.fresh(7, 0);
        assertThat(SessionPrincipal.parse(fresh.name())).hasValue(fresh);
    }

    @Test
    void aFreshSessionHasAnIdNoOneCanGuess() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(SessionPrincipal.fresh(7, 0).id());
        }
        assertThat(ids).hasSize(10_000).allSatisfy(id -> assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]+"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"42", "42.3", "42.", ".3", "42.3.1", "42.3." + ID + "x", "42.3.AbCdEfGhIjKlMnOpQrSt+/",
            "0.1." + ID, "-4.1." + ID, "+4.1." + ID, "04.1." + ID, "4.01." + ID, "4.-1." + ID, " 4.1." + ID,
            "4.1." + ID + " ", "4,1." + ID, "9223372036854775808.1." + ID, "4.2147483648." + ID, "٤.١." + ID, "abc"})
    void theEarlierFormsAndAnythingElseAreNoSession(String text) {
        assertThat(SessionPrincipal.parse(text)).isEmpty();
    }

    @Test
    void aSessionNeedsAnAccountAGenerationOfZeroOrMoreAndAnId() {
        assertThatThrownBy(() -> new SessionPrincipal(0, 1, ID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionPrincipal(1, -1, ID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionPrincipal(1, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionPrincipal(1, 1, "short")).isInstanceOf(IllegalArgumentException.class);
    }
}
