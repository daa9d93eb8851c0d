package dev.livepet.viewer.accounts.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmailAddressTest {
    @Test
    void anAddressHasOneAtAndADomainWithADot() {
        assertThat(EmailAddress.problem("ann@example.com")).isEmpty();
        assertThat(EmailAddress.problem("  ann.b+pets@mail.example.org ")).isEmpty();
        for (String bad : new String[]{"", "ann", "ann@", "@example.com", "ann@example", "a b@example.com",
                "ann@@example.com", "ann@example..com", null}) {
            assertThat(EmailAddress.problem(bad)).as(bad).hasValue(EmailAddress.PROBLEM);
        }
        assertThat(EmailAddress.problem("a".repeat(250) + "@example.com")).isPresent();
    }

    @Test
    void addressesCompareWithoutCaseAndSurroundingSpaces() {
        assertThat(EmailAddress.key(" Ann@Example.COM ")).isEqualTo("ann@example.com");
        assertThat(EmailAddress.clean(" Ann@Example.COM ")).isEqualTo("Ann@Example.COM");
    }
}
