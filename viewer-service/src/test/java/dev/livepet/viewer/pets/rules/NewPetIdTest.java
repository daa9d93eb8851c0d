package dev.livepet.viewer.pets.rules;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NewPetIdTest {
    @Test
    void idsLieAboveSeededPetsAndWithinJavaScriptsExactIntegers() {
        NewPetId ids = NewPetId.withRandomSecret();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long id = ids.forCommand(UUID.randomUUID().toString());
            assertThat(id).isBetween(1L << 32, (1L << 53) - 1);
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void theSameCommandNamesTheSamePet() {
        NewPetId ids = NewPetId.withRandomSecret();
        String command = UUID.randomUUID().toString();
        assertThat(ids.forCommand(command)).isEqualTo(ids.forCommand(command));
    }

    @Test
    void withoutTheSecretTheIdCannotBeFoundFromTheCommand() {
        String command = UUID.randomUUID().toString();
        assertThat(NewPetId.withRandomSecret().forCommand(command))
                .isNotEqualTo(NewPetId.withRandomSecret().forCommand(command));
    }
}
