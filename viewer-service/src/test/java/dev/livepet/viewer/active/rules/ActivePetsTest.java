package dev.livepet.viewer.active.rules;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class ActivePetsTest {
    private static ActivePet pet(long id, String name) {
        return new ActivePet(id, "owner" + id, name, "cat", 100);
    }

    @Test
    void eachPetOnceByNameWithoutThePageItIsOn() {
        List<ActivePet> present = List.of(pet(3, "Zorro"), pet(1, "bella"), pet(2, "Apollo"), pet(1, "bella"), pet(4, "Cleo"));
        assertThat(ActivePets.shown(present, OptionalLong.empty())).extracting(ActivePet::name)
                .containsExactly("Apollo", "bella", "Cleo", "Zorro");
        assertThat(ActivePets.shown(present, OptionalLong.of(4))).extracting(ActivePet::id).containsExactly(2L, 1L, 3L);
        assertThat(ActivePets.shown(List.of(pet(4, "Cleo")), OptionalLong.of(4))).isEmpty();
    }

    @Test
    void conditionFollowsTheHearts() {
        assertThat(ActivePets.condition(5, 5)).isEqualTo("content");
        assertThat(ActivePets.condition(3, 5)).isEqualTo("content");
        assertThat(ActivePets.condition(2, 5)).isEqualTo("hungry");
        assertThat(ActivePets.condition(1, 5)).isEqualTo("hungry");
        assertThat(ActivePets.condition(0, 5)).isEqualTo("starving");
    }
}
