package dev.livepet.viewer.pets.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeartsTest {
    private final Hearts original = new Hearts(500, 100);

    @ParameterizedTest(name = "hunger {0} shows {1} hearts")
    @CsvSource({"250,3", "500,0", "0,5", "401,1", "150,4", "400,1", "399,2", "1,5", "100,4", "499,1"})
    void heartsAreTheCeilingOfTheFullnessInHeartSizedSteps(int hunger, int hearts) {
        assertThat(original.of(hunger)).isEqualTo(hearts);
    }

    @Test
    void hungerOutsideTheScaleCountsAsItsNearestBound() {
        assertThat(original.of(-20)).isEqualTo(5);
        assertThat(original.of(700)).isZero();
    }

    @Test
    void theNumbersAreSettings() {
        Hearts three = new Hearts(300, 100);
        assertThat(three.max()).isEqualTo(3);
        assertThat(three.of(0)).isEqualTo(3);
        assertThat(three.of(250)).isEqualTo(1);
        assertThat(new Hearts(500, 30).max()).isEqualTo(17);
        assertThat(original.max()).isEqualTo(5);
    }

    @Test
    void aScaleWithoutHeartsIsRefused() {
        assertThatThrownBy(() -> new Hearts(500, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hearts(0, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
