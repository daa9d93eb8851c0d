package dev.livepet.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON form of commands (and the mapper {@link PetStateCodec} reads pet-state with): readable with kcat, small,
 * unknown fields ignored.
 */
public final class PetJson {
    /** The largest record value a service accepts; anything bigger is poison. */
    public static final int MAX_RECORD_BYTES = 16 * 1024;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, false)
            // a number in quotes, a fraction for a count, 1 for true: the wrong type is poison, not a guess
            .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
            .build();
    private static final ObjectReader COMMAND_READER = MAPPER.readerFor(PetCommand.class);
    private static final ObjectWriter COMMAND_WRITER = MAPPER.writerFor(PetCommand.class);

    private PetJson() {
    }

    public static byte[] write(PetCommand command) {
        try {
            return COMMAND_WRITER.writeValueAsBytes(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + command, e);
        }
    }

    public static String writeString(PetCommand command) {
        return new String(write(command), StandardCharsets.UTF_8);
    }

    /** Reads a command, or throws {@link PoisonRecordException} saying why it cannot be read. */
    public static PetCommand command(byte[] json) {
        return read(COMMAND_READER, json, "command");
    }

    public static PetCommand command(String json) {
        return command(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    static <T> T read(ObjectReader reader, byte[] json, String what) {
        if (json == null || json.length == 0) {
            throw new PoisonRecordException("empty " + what + " record", null);
        }
        if (json.length > MAX_RECORD_BYTES) {
            throw new PoisonRecordException(what + " record of " + json.length + " bytes is over the limit of "
                    + MAX_RECORD_BYTES, null);
        }
        try {
            T value = reader.readValue(json);
            if (value == null) {
                throw new PoisonRecordException("null " + what + " record", null);
            }
            return value;
        } catch (IOException | IllegalArgumentException e) {
            throw new PoisonRecordException("unreadable " + what + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
