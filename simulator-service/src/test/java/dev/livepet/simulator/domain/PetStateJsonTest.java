package dev.livepet.simulator.domain;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateReader;
import dev.livepet.contract.PoisonRecordException;
import dev.livepet.contract.Species;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PetStateJsonTest {
    private static final long AT = 1_700_000_000_000L;
    // plain letters, JSON's specials, every control char, and UTF-8 of 2, 3 and 4 bytes
    private static final String[] PIECES = {
            "a", "Z", "7", " ", "\"", "\\", "/", "'", "<", "&", "\u007f", "é", "ü", "ß", "Ω", "中", "猫", "\u2028",
            "\uFFFD", "🐢", "🦊", "😀", "\uD800", "\uDFFF"};

    private final WorldRules rules = WorldRules.original();
    private final PetStateJson json = new PetStateJson();

    @Test
    void writesExactlyTheContractsBytesForManyRandomStates() {
        Random random = new Random(20261123);
        for (int round = 0; round < 200; round++) {
            PetPartition pets = new PetPartition(0, rules, 10);
            for (int i = 0; i < 50; i++) {
                PetState state = randomState(random, i + 1);
                pets.restore(state);
                int slot = pets.slotOf(state.id());
                Cause cause = Cause.values()[random.nextInt(Cause.values().length)];
                String command = random.nextBoolean() ? null : randomText(random, 1 + random.nextInt(40));
                long at = random.nextInt(10) == 0 ? 0 : Math.abs(random.nextLong());

                byte[] written = json.write(pets, slot, cause, at, command);

                PetState expected = new PetState(state.id(), state.owner(), state.name(), state.species(), state.age(),
                        state.hunger(), state.alive(), state.version(), cause, at, command);
                assertThat(new String(written, StandardCharsets.UTF_8))
                        .isEqualTo(new String(PetJson.write(expected), StandardCharsets.UTF_8));
                assertThat(written).isEqualTo(PetJson.write(expected));
                assertThat(PetJson.state(written)).isEqualTo(expected);
            }
        }
    }

    @Test
    void escapesEveryControlCharacterQuoteAndBackslashAsJacksonDoes() {
        StringBuilder name = new StringBuilder("Rex");
        for (char c = 0; c < 0x20; c++) {
            name.append(c);
        }
        name.append("\"\\/\u007f");
        PetPartition pets = new PetPartition(0, rules, 10);
        PetState state = new PetState(42, "al\"ice\n", name.toString(), Species.SEA_TURTLE, 3, 20, true, 9,
                Cause.FED, AT, "c\\1");
        pets.restore(state);

        byte[] written = json.write(pets, pets.slotOf(42), Cause.FED, AT, "c\\1");

        assertThat(written).isEqualTo(PetJson.write(state));
        assertThat(new String(written, StandardCharsets.UTF_8))
                .contains("\\u0000").contains("\\u001F").contains("\\n").contains("\\t").contains("\\\"");
    }

    @Test
    void seededPetsAreWrittenWithTheirDerivedNamesAndNoOwner() {
        PetPartition pets = new PetPartition(0, rules, 10);
        int partitions = 1;
        // 2 rounds and more of the name pairs, so that names with a number are covered too
        pets.seed(1_000, partitions, AT, (p, slot, cause, at, command) -> {
            PetState expected = p.snapshot(slot, cause, at, command);
            assertThat(json.write(p, slot, cause, at, command)).isEqualTo(PetJson.write(expected));
        });
        int last = pets.slotOf(1_000);
        PetState state = PetJson.state(json.write(pets, last, Cause.TICK, AT, null));

        assertThat(pets.size()).isEqualTo(1_000);
        assertThat(state.owner()).isNull();
        assertThat(state.name()).isEqualTo(SeedPets.name(1_000)).endsWith(" 4");
        assertThat(state.command()).isNull();
    }

    @Test
    void aKeyIsThePetIdInDecimal() {
        assertThat(new String(PetStateJson.key(1234567890123L), StandardCharsets.US_ASCII)).isEqualTo("1234567890123");
    }

    @Test
    void readsBackEveryRandomStateExactlyAsTheContractReadsIt() {
        Random random = new Random(42);
        int ours = 0;
        for (int i = 0; i < 10_000; i++) {
            PetState state = randomState(random, i + 1);
            PetState written = new PetState(state.id(), state.owner(), state.name(), state.species(), state.age(),
                    state.hunger(), state.alive(), state.version(), Cause.values()[i % Cause.values().length],
                    random.nextInt(10) == 0 ? 0 : Math.abs(random.nextLong()),
                    random.nextBoolean() ? null : randomText(random, 1 + random.nextInt(10)));
            byte[] json = PetJson.write(written);

            assertThat(PetJson.state(json)).isEqualTo(PetJson.state(json)).isEqualTo(written);
            if (PetStateReader.read(json) != null) {
                ours++;
            }
        }
        assertThat(ours).as("records read without Jackson").isPositive();
    }

    @Test
    void readsPlainAsciiStatesWithoutJacksonAndLeavesEveryOtherFormToIt() {
        PetState plain = new PetState(42, "alice", "Rex the 2nd", Species.SEA_TURTLE, 10_000, 0, false, 12,
                Cause.DIED, AT, null);
        PetState seeded = new PetState(7, null, SeedPets.name(7), Species.CAT, 0, 250, true, 1, Cause.ADOPTED, AT, "c-1");
        assertThat(PetStateReader.read(PetJson.write(plain))).isEqualTo(plain);
        assertThat(PetStateReader.read(PetJson.write(seeded))).isEqualTo(seeded);

        List<String> others = List.of(
                "{ \"id\":42,\"name\":\"Rex\",\"species\":\"fox\",\"age\":1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5}",
                "{\"name\":\"Rex\",\"id\":42,\"species\":\"fox\",\"age\":1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5}",
                "{\"id\":42,\"name\":\"Rex\",\"species\":\"fox\",\"age\":1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5,\"mood\":\"new field\"}",
                "{\"id\":42,\"name\":\"R\\u00e9x\",\"species\":\"fox\",\"age\":1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5}",
                "{\"id\":42,\"name\":\"Réx\",\"species\":\"fox\",\"age\":1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5}",
                "{\"id\":42,\"owner\":null,\"name\":\"Rex\",\"species\":\"fox\",\"age\":1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5}",
                "{\"id\":42,\"name\":\"Rex\",\"species\":\"fox\",\"age\":-1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5}");
        for (String json : others) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertThat(PetStateReader.read(bytes)).as(json).isNull();
            assertThat(PetJson.state(bytes)).as(json).isEqualTo(PetJson.state(bytes));
        }
    }

    @Test
    void aRecordThatIsNoStateIsPoisonWhicheverReaderLooksAtIt() {
        List<String> poison = List.of("", "{}", "not json",
                "{\"id\":0,\"name\":\"Rex\",\"species\":\"fox\",\"age\":1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5}",
                "{\"id\":42,\"name\":\"Rex\",\"species\":\"wolf\",\"age\":1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5}",
                "{\"id\":42,\"name\":\"Rex\",\"species\":\"fox\",\"age\":1,\"hunger\":5,\"alive\":true,\"version\":3,\"cause\":\"tick\",\"at\":5");
        for (String json : poison) {
            assertThatThrownBy(() -> PetJson.state(json.getBytes(StandardCharsets.UTF_8))).as(json)
                    .isInstanceOf(PoisonRecordException.class);
        }
    }

    @Test
    void aSeedNameIsRecognisedWithoutBuildingIt() {
        for (long id = 1; id <= 2_000; id++) {
            assertThat(SeedPets.isNameOf(id, SeedPets.name(id))).isTrue();
            assertThat(SeedPets.isNameOf(id, SeedPets.name(id + 1))).isFalse();
            assertThat(SeedPets.isNameOf(id, SeedPets.name(id) + "0")).isFalse();
        }
        assertThat(SeedPets.isNameOf(1, "")).isFalse();
    }

    private static PetState randomState(Random random, long n) {
        long id = random.nextInt(4) == 0 ? n : 1 + (random.nextLong() & Long.MAX_VALUE - 1);
        String owner = random.nextInt(3) == 0 ? null : randomText(random, 1 + random.nextInt(30));
        // an ownerless pet with a seeded name is stored without its name and must still be written with it
        String name = owner == null && random.nextBoolean() ? SeedPets.name(id) : randomText(random, 3 + random.nextInt(60));
        boolean alive = random.nextBoolean();
        return new PetState(id, owner, name, Species.values()[random.nextInt(Species.values().length)],
                random.nextInt(10_002), random.nextInt(501), alive, 1 + (random.nextLong() & Long.MAX_VALUE - 1),
                alive ? Cause.TICK : Cause.DIED, AT, null);
    }

    private static String randomText(Random random, int pieces) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            int pick = random.nextInt(PIECES.length + 32);
            s.append(pick < PIECES.length ? PIECES[pick] : String.valueOf((char) (pick - PIECES.length)));
        }
        return s.toString();
    }
}
