package dev.livepet.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PetStateFastReaderTest {
    // the contract's Jackson configuration, to compare with what the fast path answers
    private static final ObjectReader JACKSON = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, false)
            .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
            .build().readerFor(PetState.class);
    private static final Cause[] EVENTS = {Cause.ADOPTED, Cause.FED, Cause.TREAT, Cause.DIED};
    private static final String[] PIECES = {"a", "Z", "7", " ", "-", "_", "\"", "\\", "/", "\u007f", "é", "猫", "🦊", "\n"};

    @Test
    void readsEveryRandomStateExactlyAsJacksonDoes() throws Exception {
        Random random = new Random(20261130);
        int fast = 0;
        for (int i = 0; i < 20_000; i++) {
            PetState state = randomState(random);
            byte[] json = PetStateCodec.write(state);

            PetState read = PetStateFastReader.read(json);

            PetState jackson = JACKSON.readValue(json);
            assertThat(jackson).isEqualTo(state);
            if (read != null) {
                fast++;
                assertThat(read).isEqualTo(jackson);
            } else {
                // only strings Jackson had to escape or encode are left to it
                assertThat(new String(json, StandardCharsets.UTF_8)).matches("(?s).*(\\\\|[^\\x20-\\x7f]).*");
            }
            assertThat(PetStateCodec.readState(json)).isEqualTo(state);
        }
        assertThat(fast).as("states read by the fast path").isGreaterThan(10_000);
    }

    @Test
    void leavesEveryDamagedRecordToJacksonWhichAnswersTheSameOrSaysWhy() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] json = PetStateCodec.write(randomState(random));
            int at = random.nextInt(json.length);
            switch (random.nextInt(3)) {
                case 0 -> json[at] = (byte) (random.nextInt(96) + 32);
                case 1 -> json = cut(json, at);
                default -> json = insert(json, at, (byte) "0 9,\"}{".charAt(random.nextInt(7)));
            }
            PetState read = PetStateFastReader.read(json);
            PetState jackson;
            try {
                jackson = JACKSON.readValue(json);
            } catch (Exception e) {
                jackson = null;
            }
            if (read != null) {
                assertThat(read).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(jackson);
            }
        }
    }

    @Test
    void answersNullForOtherLayoutsAndPetJsonStillReadsThem() {
        String reordered = "{\"name\":\"Rex\",\"id\":1,\"species\":\"fox\",\"age\":0,\"hunger\":250,\"alive\":true,"
                + "\"version\":1,\"cause\":\"adopted\",\"tick\":0,\"at\":5}";
        assertThat(PetStateFastReader.read(reordered.getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(PetStateCodec.readState(reordered)).isEqualTo(new PetState(1, null, "Rex", Species.FOX, 0, 250, true, 1, Cause.ADOPTED, 0, 5, null));
        String leadingZero = "{\"id\":01,\"name\":\"Rex\",\"species\":\"fox\",\"age\":0,\"hunger\":250,\"alive\":true,"
                + "\"version\":1,\"cause\":\"adopted\",\"tick\":0,\"at\":5}";
        assertThat(PetStateFastReader.read(leadingZero.getBytes(StandardCharsets.UTF_8))).isNull();
        String versionZero = "{\"id\":1,\"name\":\"Rex\",\"species\":\"fox\",\"age\":0,\"hunger\":250,\"alive\":true,"
                + "\"version\":0,\"cause\":\"adopted\",\"tick\":0,\"at\":5}";
        assertThat(PetStateFastReader.read(versionZero.getBytes(StandardCharsets.UTF_8))).isNull();
        assertThatThrownBy(() -> PetStateCodec.readState(versionZero)).isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("positive version");
        assertThat(PetStateFastReader.read(null)).isNull();
        assertThat(PetStateFastReader.read(new byte[0])).isNull();
    }

    private static PetState randomState(Random random) {
        long id = 1 + (random.nextInt(4) == 0 ? Math.abs(random.nextLong() % 999_999_999_999_999_999L) : random.nextInt(2_000_000));
        String owner = random.nextBoolean() ? null : text(random, 1 + random.nextInt(30));
        String command = random.nextBoolean() ? null : text(random, 1 + random.nextInt(40));
        return new PetState(id, owner, text(random, 3 + random.nextInt(30)),
                Species.values()[random.nextInt(Species.values().length)], random.nextInt(20_000), random.nextInt(501),
                random.nextBoolean(), 1 + random.nextInt(1_000_000), EVENTS[random.nextInt(EVENTS.length)],
                random.nextInt(5) == 0 ? 0 : Math.abs(random.nextLong() % 1_000_000_000L),
                random.nextInt(10) == 0 ? 0 : Math.abs(random.nextLong() % 4_000_000_000_000L), command);
    }

    private static String text(Random random, int pieces) {
        StringBuilder s = new StringBuilder();
        boolean plain = random.nextInt(4) != 0;
        for (int i = 0; i < pieces; i++) {
            s.append(plain ? PIECES[random.nextInt(6)] : PIECES[random.nextInt(PIECES.length)]);
        }
        return s.toString();
    }

    private static byte[] cut(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte x) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = x;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }
}
