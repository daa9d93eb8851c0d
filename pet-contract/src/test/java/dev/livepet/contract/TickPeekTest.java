package dev.livepet.contract;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TickPeekTest {
    private final TickPeek peek = new TickPeek();

    @Test
    void readsIdVersionAndTimeOfATickAsTheContractWritesIt() {
        for (String name : new String[] {"Biscuit", "Bíscuit 🦊", "a \"quoted\", \\ name,\"version\":9", "<script>"}) {
            for (String owner : new String[] {null, "player-7"}) {
                PetState tick = new PetState(1_234_567_890_123L, owner, name, Species.FOX, 7, 300, true, 42, Cause.TICK,
                        1_764_000_000_123L, null);

                assertThat(peek.read(PetJson.write(tick))).as(name).isTrue();

                assertThat(peek.id()).isEqualTo(1_234_567_890_123L);
                assertThat(peek.version()).isEqualTo(42);
                assertThat(peek.at()).isEqualTo(1_764_000_000_123L);
                assertThat(peek.isKeyOfThisPet(tick.key())).isTrue();
            }
        }
    }

    @Test
    void anythingButALivePetsPlainTickIsNotATick() {
        for (Cause cause : Cause.values()) {
            if (cause != Cause.TICK) {
                assertThat(peek.read(PetJson.write(state(true, cause, null)))).as(cause.id()).isFalse();
            }
        }
        assertThat(peek.read(PetJson.write(state(false, Cause.TICK, null)))).as("a dead pet's tick").isFalse();
        assertThat(peek.read(PetJson.write(state(true, Cause.TICK, "cmd-1")))).as("with a command").isFalse();
        for (String broken : new String[] {"", "}", "not json", "[1,2,3]",
                "{\"id\":\"5\",\"name\":\"x\",\"species\":\"cat\",\"age\":1,\"hunger\":1,\"alive\":true,\"version\":2,\"cause\":\"tick\",\"at\":5}",
                "{\"id\":05,\"name\":\"x\",\"species\":\"cat\",\"age\":1,\"hunger\":1,\"alive\":true,\"version\":2,\"cause\":\"tick\",\"at\":5}",
                "{\"id\":5,\"name\":\"x\",\"species\":\"cat\",\"age\":1,\"hunger\":1,\"alive\":true,\"version\":0,\"cause\":\"tick\",\"at\":5}",
                "{\"id\":5,\"name\":\"x\",\"species\":\"cat\",\"age\":1,\"hunger\":1,\"alive\":true,\"version\":2,\"cause\":\"tick\",\"at\":}",
                "{\"id\":5,\"name\":\"x\",\"species\":\"cat\",\"age\":1,\"hunger\":1,\"alive\":true,\"version\":2,\"cause\":\"tick\",\"at\":5} ",
                "{\"id\":5,\"alive\":true,\"version\":1234567890123456789,\"cause\":\"tick\",\"at\":5}"}) {
            assertThat(peek.read(broken.getBytes(StandardCharsets.UTF_8))).as(broken).isFalse();
        }
        assertThat(peek.read(null)).isFalse();
        assertThat(peek.read(new byte[PetJson.MAX_RECORD_BYTES + 1])).isFalse();
    }

    @Test
    void aKeyMustBeExactlyThePetsIdInDecimal() {
        assertThat(peek.read(PetJson.write(state(true, Cause.TICK, null)))).isTrue();

        assertThat(peek.isKeyOfThisPet("77")).isTrue();
        for (String key : new String[] {null, "", "077", "78", "7", "77 ", "-77", "x77", "1234567890123456789"}) {
            assertThat(peek.isKeyOfThisPet(key)).as(String.valueOf(key)).isFalse();
        }
    }

    private static PetState state(boolean alive, Cause cause, String command) {
        return new PetState(77, null, "Pet", Species.CAT, 1, 255, alive, 3, cause, 99, command);
    }
}
