package dev.livepet.contract;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PetStateCodecTest {
    private static final PetState FED = new PetState(42, "player-7", "Rex", Species.CAT, 3, 165, true, 4, Cause.FED, 3,
            1_700_000_000_000L, "c-9");
    private static final PartitionTick TICK = new PartitionTick(5, 24, 120, 1_700_000_005_000L, new TickRule(1, 5, 500));

    @Test
    void anEventHasItsDocumentedJsonFormAndLeavesOutNulls() {
        var seeded = new PetState(42, null, "Rex", Species.CAT, 0, 250, true, 1, Cause.ADOPTED, 0, 1_700_000_000_000L, null);
        assertThat(PetStateCodec.writeString(seeded)).isEqualTo(
                "{\"id\":42,\"name\":\"Rex\",\"species\":\"cat\",\"age\":0,\"hunger\":250,\"alive\":true,"
                        + "\"version\":1,\"cause\":\"adopted\",\"tick\":0,\"at\":1700000000000}");
        assertThat(PetStateCodec.readState(PetStateCodec.write(seeded))).isEqualTo(seeded);
        assertThat(PetStateCodec.readState(PetStateCodec.write(FED))).isEqualTo(FED);
    }

    @Test
    void aTickHasItsDocumentedJsonForm() {
        assertThat(PetStateCodec.writeString(TICK)).isEqualTo("{\"partition\":5,\"partitions\":24,\"tick\":120,"
                + "\"at\":1700000005000,\"agePerTick\":1,\"hungerPerTick\":5,\"maxHunger\":500}");
        assertThat(PetStateCodec.readTick(PetStateCodec.write(TICK))).isEqualTo(TICK);
        assertThat(new String(PetStateCodec.tickKey(5), StandardCharsets.US_ASCII)).isEqualTo("tick-5");
    }

    @Test
    void theWriterGivesJacksonsExactBytes() throws Exception {
        var odd = new PetState(7, "p\"1\\", "Ré 猫 🦊\n\u0001", Species.SEA_TURTLE, 10001, 500, false, 9, Cause.DIED, 10001,
                5, null);
        assertThat(PetStateCodec.write(odd)).isEqualTo(PetJson.MAPPER.writeValueAsBytes(odd));
        assertThat(PetStateCodec.write(FED)).isEqualTo(PetJson.MAPPER.writeValueAsBytes(FED));
        assertThat(PetStateCodec.readState(PetStateCodec.write(odd))).isEqualTo(odd);
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        PetState state = PetStateCodec.readState("{\"id\":1,\"owner\":\"p\",\"name\":\"Rex\",\"species\":\"fox\",\"age\":0,"
                + "\"hunger\":250,\"alive\":true,\"version\":1,\"cause\":\"adopted\",\"tick\":7,\"at\":5,\"command\":\"c\","
                + "\"mood\":\"sleepy\"}");
        assertThat(state).isEqualTo(new PetState(1, "p", "Rex", Species.FOX, 0, 250, true, 1, Cause.ADOPTED, 7, 5, "c"));
    }

    @Test
    void readsARecordByItsKeyAndChecksTheKeyAndThePartition() {
        int home = PetPartitioner.partitionOf(42, 24);
        assertThat(PetStateCodec.read(PetStateCodec.key(42), PetStateCodec.write(FED), home, 24)).isEqualTo(FED);
        assertThat(PetStateCodec.read(PetStateCodec.tickKey(5), PetStateCodec.write(TICK), 5, 24)).isEqualTo(TICK);

        assertThatThrownBy(() -> PetStateCodec.read(PetStateCodec.key(43), PetStateCodec.write(FED)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("not the state's pet id 42");
        assertThatThrownBy(() -> PetStateCodec.read(PetStateCodec.tickKey(6), PetStateCodec.write(TICK)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("not the key of partition 5");
        assertThatThrownBy(() -> PetStateCodec.read(PetStateCodec.key(42), PetStateCodec.write(FED), (home + 1) % 24, 24))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("lives in partition " + home);
        assertThatThrownBy(() -> PetStateCodec.read(PetStateCodec.tickKey(5), PetStateCodec.write(TICK), 6, 24))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("is in partition 6");
        assertThatThrownBy(() -> PetStateCodec.read("pet-42".getBytes(StandardCharsets.UTF_8), PetStateCodec.write(FED)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("neither a pet id nor tick-<partition>");
        assertThatThrownBy(() -> PetStateCodec.read(null, PetStateCodec.write(FED)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("needs a key");
        assertThatThrownBy(() -> PetStateCodec.read(PetStateCodec.key(42), PetStateCodec.write(TICK)))
                .isInstanceOf(PoisonRecordException.class).hasMessageStartingWith("unreadable state");
    }

    @Test
    void aDerivedTickStateIsNoEventAndNeverOnTheTopic() {
        PetState derived = new TickRule(1, 5, 500).stateAt(FED, 10, 99);
        assertThat(derived.cause()).isEqualTo(Cause.TICK);
        assertThatThrownBy(() -> PetStateCodec.write(derived)).isInstanceOf(IllegalArgumentException.class);
        String json = PetStateCodec.writeString(FED).replace("\"cause\":\"fed\"", "\"cause\":\"tick\"");
        assertThatThrownBy(() -> PetStateCodec.readState(json)).isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("no event");
    }

    @Test
    void petKeysAreDecimalIdsAndNothingElse() {
        assertThat(PetStateCodec.petIdOf("42".getBytes(StandardCharsets.US_ASCII))).isEqualTo(42);
        for (String bad : new String[]{"", "042", "0", "-1", "4 2", "tick-1", "1234567890123456789"}) {
            assertThat(PetStateCodec.petIdOf(bad.getBytes(StandardCharsets.US_ASCII))).as(bad).isEqualTo(-1);
        }
        assertThat(PetStateCodec.isTickKey("tick-3".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(PetStateCodec.isTickKey("tick-".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(PetStateCodec.isTickKey("42".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void aBadTickIsPoisonWithAReason() {
        String tick = PetStateCodec.writeString(TICK);
        for (String json : new String[]{tick.replace("\"tick\":120", "\"tick\":0"), tick.replace("\"partitions\":24", "\"partitions\":5"),
                tick.replace("\"agePerTick\":1", "\"agePerTick\":0"), tick.replace(",\"maxHunger\":500", ""), "{}", "[]"}) {
            assertThatThrownBy(() -> PetStateCodec.readTick(json.getBytes(StandardCharsets.UTF_8))).as(json)
                    .isInstanceOf(PoisonRecordException.class).hasMessageStartingWith("unreadable tick");
        }
    }

    @Test
    void aServiceRefusesTopicsWithAnotherPartitionCountThanTheWorldsAndSaysWhy() {
        assertThat(WorldPartitions.mismatch(24, 0)).isNull();
        assertThat(WorldPartitions.mismatch(24, 24)).isNull();
        assertThat(WorldPartitions.mismatch(48, 24)).contains("have 48 partitions", "made with 24");
    }
}
