package dev.livepet.contract;

import java.nio.charset.StandardCharsets;

/**
 * A strict reader of the exact layout {@link PetStateCodec#write(PetState)} gives a state (fields in Jackson's order,
 * plain ASCII strings without escapes, plain non-negative numbers), several times faster than Jackson's data binding.
 * Anything else answers null and is left to Jackson, which also gives the reason a record is poison;
 * {@link PetStateCodec#readState(byte[])} tries this reader first.
 */
final class PetStateFastReader {
    private static final byte[] ID = ascii("{\"id\":");
    private static final byte[] OWNER = ascii("\"owner\":\"");
    private static final byte[] NAME = ascii("\"name\":\"");
    private static final byte[] SPECIES = ascii(",\"species\":\"");
    private static final byte[] AGE = ascii(",\"age\":");
    private static final byte[] HUNGER = ascii(",\"hunger\":");
    private static final byte[] ALIVE = ascii(",\"alive\":true,\"version\":");
    private static final byte[] DEAD = ascii(",\"alive\":false,\"version\":");
    private static final byte[] CAUSE = ascii(",\"cause\":\"");
    private static final byte[] TICK = ascii(",\"tick\":");
    private static final byte[] AT = ascii(",\"at\":");
    private static final byte[] COMMAND = ascii(",\"command\":\"");
    private static final Species[] SPECIES_BY_ORDINAL = Species.values();
    private static final Cause[] CAUSE_BY_ORDINAL = Cause.values();
    private static final byte[][] SPECIES_IDS = new byte[SPECIES_BY_ORDINAL.length][];
    private static final byte[][] CAUSE_IDS = new byte[CAUSE_BY_ORDINAL.length][];

    static {
        for (Species s : SPECIES_BY_ORDINAL) {
            SPECIES_IDS[s.ordinal()] = ascii(s.id());
        }
        for (Cause c : CAUSE_BY_ORDINAL) {
            CAUSE_IDS[c.ordinal()] = ascii(c.id());
        }
    }

    private final byte[] in;
    private int pos;
    private boolean ok = true;

    private PetStateFastReader(byte[] in) {
        this.in = in;
    }

    /** The state when {@code json} has exactly the contract writer's layout, otherwise null (then ask Jackson). */
    static PetState read(byte[] json) {
        if (json == null || json.length == 0 || json.length > PetStateCodec.MAX_RECORD_BYTES) {
            return null;
        }
        try {
            return new PetStateFastReader(json).state();
        } catch (IllegalArgumentException e) {
            // the layout, but not a valid state (e.g. version 0): Jackson's reader says why
            return null;
        }
    }

    private PetState state() {
        expect(ID);
        long id = number(18);
        expect((byte) ',');
        String owner = null;
        if (startsWith(OWNER)) {
            pos += OWNER.length;
            owner = string();
            expect((byte) ',');
        }
        expect(NAME);
        String name = string();
        expect(SPECIES);
        Species species = SPECIES_BY_ORDINAL[pick(SPECIES_IDS)];
        expect(AGE);
        long age = number(9);
        expect(HUNGER);
        long hunger = number(9);
        boolean alive = startsWith(ALIVE);
        expect(alive ? ALIVE : DEAD);
        long version = number(18);
        expect(CAUSE);
        Cause cause = CAUSE_BY_ORDINAL[pick(CAUSE_IDS)];
        expect(TICK);
        long tick = number(18);
        expect(AT);
        long at = number(18);
        String command = null;
        if (startsWith(COMMAND)) {
            pos += COMMAND.length;
            command = string();
        }
        expect((byte) '}');
        if (!ok || pos != in.length) {
            return null;
        }
        return new PetState(id, owner, name, species, (int) age, (int) hunger, alive, version, cause, tick, at, command);
    }

    private boolean startsWith(byte[] bytes) {
        if (!ok || pos + bytes.length > in.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (in[pos + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private void expect(byte[] bytes) {
        if (startsWith(bytes)) {
            pos += bytes.length;
        } else {
            ok = false;
        }
    }

    private void expect(byte b) {
        if (!ok || pos >= in.length || in[pos++] != b) {
            ok = false;
        }
    }

    /** A non-negative integer of at most {@code maxDigits} digits without leading zeros. */
    private long number(int maxDigits) {
        int start = pos;
        long n = 0;
        while (ok && pos < in.length && in[pos] >= '0' && in[pos] <= '9' && pos - start < maxDigits) {
            n = n * 10 + (in[pos++] - '0');
        }
        int digits = pos - start;
        if (digits == 0 || (digits > 1 && in[start] == '0')
                || (pos < in.length && in[pos] >= '0' && in[pos] <= '9')) {
            ok = false;
        }
        return n;
    }

    /** A string of plain printable ASCII without escapes, up to and including its closing quote. */
    private String string() {
        int start = pos;
        while (ok && pos < in.length) {
            byte b = in[pos];
            if (b == '"') {
                pos++;
                return new String(in, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
            }
            if (b < 0x20 || b == '\\') {
                // escapes, control characters and UTF-8 (negative bytes) are Jackson's business
                break;
            }
            pos++;
        }
        ok = false;
        return null;
    }

    /** The index of the id the next bytes spell, followed by its closing quote, which is read too. */
    private int pick(byte[][] ids) {
        for (int i = 0; ok && i < ids.length; i++) {
            byte[] id = ids[i];
            if (pos + id.length < in.length && in[pos + id.length] == '"' && startsWith(id)) {
                pos += id.length + 1;
                return i;
            }
        }
        ok = false;
        return 0;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
