package dev.livepet.contract;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PetJsonTest {

    @Test
    void adoptCommandHasItsDocumentedJsonForm() {
        var adopt = new AdoptCommand("c-1", 42, "player-7", "Rex", Species.SEA_TURTLE);
        assertThat(PetJson.writeString(adopt)).isEqualTo(
                "{\"type\":\"adopt\",\"commandId\":\"c-1\",\"petId\":42,\"owner\":\"player-7\",\"name\":\"Rex\",\"species\":\"sea-turtle\"}");
        assertThat(PetJson.command(PetJson.write(adopt))).isEqualTo(adopt);
    }

    @Test
    void feedCommandRoundTrips() {
        var feed = new FeedCommand("c-2", 42, Food.TREAT, "player-8");
        assertThat(PetJson.writeString(feed)).isEqualTo(
                "{\"type\":\"feed\",\"commandId\":\"c-2\",\"petId\":42,\"food\":\"treat\",\"giver\":\"player-8\"}");
        assertThat(PetJson.command(PetJson.write(feed))).isEqualTo(feed);
    }

    @Test
    void unreadableRecordsArePoisonWithAReason() {
        assertThatThrownBy(() -> PetJson.command("not json")).isInstanceOf(PoisonRecordException.class)
                .hasMessageStartingWith("unreadable command");
        assertThatThrownBy(() -> PetJson.command("{\"type\":\"dance\",\"commandId\":\"c\",\"petId\":1}"))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("dance");
        assertThatThrownBy(() -> PetJson.command("{\"type\":\"feed\",\"petId\":1,\"food\":\"meal\"}"))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("commandId");
        assertThatThrownBy(() -> PetJson.command("{\"type\":\"feed\",\"commandId\":\"c\",\"petId\":1,\"food\":\"cake\"}"))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("cake");
        assertThatThrownBy(() -> PetStateCodec.readState("{\"id\":\"x\"}")).isInstanceOf(PoisonRecordException.class);
        assertThatThrownBy(() -> PetStateCodec.readState((String) null)).isInstanceOf(PoisonRecordException.class)
                .hasMessage("empty state record");
        assertThatThrownBy(() -> PetStateCodec.readState(new byte[PetJson.MAX_RECORD_BYTES + 1]))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("over the limit");
    }

    @Test
    void theWrongTypeIsPoisonNeverAGuess() {
        String state = PetStateCodec.writeString(new PetState(7, "p", "Rex", Species.FOX, 3, 250, true, 2, Cause.FED, 9, 5, null));
        String command = PetJson.writeString(new FeedCommand("c", 7, Food.MEAL, "p"));
        List<String> wrongStates = List.of(
                command, "[" + state + "]", "[]", "42", "\"a string\"", "null", "true",
                state.replace("\"age\":3", "\"age\":\"3\""), state.replace("\"id\":7", "\"id\":\"7\""),
                state.replace("\"age\":3", "\"age\":3.5"), state.replace("\"alive\":true", "\"alive\":1"),
                state.replace("\"alive\":true", "\"alive\":\"true\""), state.replace("\"hunger\":250", "\"hunger\":null"),
                state.replace("\"species\":\"fox\"", "\"species\":[\"fox\"]"),
                state.replace(",\"alive\":true", ""), state.replace(",\"age\":3", ""),
                state.replace("\"age\":3", "\"age\":99999999999"));
        for (String json : wrongStates) {
            assertThatThrownBy(() -> PetStateCodec.readState(json)).as(json).isInstanceOf(PoisonRecordException.class)
                    .hasMessageMatching("(unreadable|null) state.*");
        }
        List<String> wrongCommands = List.of(
                state, "[" + command + "]", "{}", "42", "null",
                command.replace("\"petId\":7", "\"petId\":\"7\""), command.replace("\"petId\":7", "\"petId\":7.5"),
                command.replace("\"food\":\"meal\"", "\"food\":1"));
        for (String json : wrongCommands) {
            assertThatThrownBy(() -> PetJson.command(json)).as(json).isInstanceOf(PoisonRecordException.class)
                    .hasMessageMatching("(unreadable|null) command.*");
        }
    }

    @Test
    void randomBytesAreEitherReadOrPoisonAndNothingElseIsThrown() {
        Random random = new Random(20261130);
        byte[][] seeds = {PetStateCodec.write(new PetState(7, "p", "Rex", Species.FOX, 3, 250, true, 2, Cause.FED, 9, 5, "c")),
                PetJson.write(new AdoptCommand("c", 7, "p", "Rex", Species.FOX)),
                PetJson.write(new FeedCommand("c", 7, Food.TREAT, "p"))};
        for (int i = 0; i < 5_000; i++) {
            byte[] json = seeds[random.nextInt(seeds.length)].clone();
            for (int n = random.nextInt(4); n >= 0; n--) {
                json[random.nextInt(json.length)] = (byte) random.nextInt(256);
            }
            byte[] bytes = i % 10 == 0 ? randomBytes(random) : json;
            for (Runnable read : List.<Runnable>of(() -> PetStateCodec.readState(bytes), () -> PetJson.command(bytes))) {
                try {
                    read.run();
                } catch (PoisonRecordException poison) {
                    assertThat(poison.getMessage()).isNotBlank().doesNotContain("\n");
                }
            }
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        return random.nextBoolean() ? bytes : new String(bytes, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everySpeciesHasAWireIdThatReadsBack() {
        for (Species s : Species.values()) {
            assertThat(Species.of(s.id())).isSameAs(s);
        }
        assertThat(Species.find("dragon")).isEmpty();
        assertThat(Cause.TICK.isEvent()).isFalse();
        assertThat(Cause.FED.isEvent()).isTrue();
    }
}
