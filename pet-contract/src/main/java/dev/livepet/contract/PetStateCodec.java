package dev.livepet.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one codec of {@link Topics#PET_STATE}. A record is either a pet's event, keyed by the pet id in decimal, whose
 * value is a {@link PetState} whose cause is not {@link Cause#TICK}; or a partition's tick, keyed
 * {@code tick-<partition>}, whose value is a {@link PartitionTick}. Both are JSON, so {@code kcat} shows them as they
 * are; unknown fields are ignored. Every service and tool reads and writes the topic through this class only.
 */
public final class PetStateCodec {
    /** The largest record value a service accepts; anything bigger is poison. */
    public static final int MAX_RECORD_BYTES = PetJson.MAX_RECORD_BYTES;
    /** The key of a partition's tick records is this and the partition number. */
    public static final String TICK_KEY_PREFIX = "tick-";

    private static final byte[] TICK_PREFIX = TICK_KEY_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final ObjectReader STATE_READER = PetJson.MAPPER.readerFor(PetState.class);
    private static final ObjectReader TICK_READER = PetJson.MAPPER.readerFor(PartitionTick.class);
    private static final ObjectWriter TICK_WRITER = PetJson.MAPPER.writerFor(PartitionTick.class);

    private PetStateCodec() {
    }

    /** A pet's record key: its id in decimal ASCII, as {@link PetPartitioner#key(long)} spells it. */
    public static byte[] key(long petId) {
        return Long.toString(petId).getBytes(StandardCharsets.US_ASCII);
    }

    /** The record key of partition {@code partition}'s ticks. */
    public static byte[] tickKey(int partition) {
        return (TICK_KEY_PREFIX + partition).getBytes(StandardCharsets.US_ASCII);
    }

    /** The pet id a key names (positive decimal, no leading zero, at most 18 digits), or -1 when it names none. */
    public static long petIdOf(byte[] key) {
        if (key == null || key.length == 0 || key.length > 18 || key[0] == '0') {
            return -1;
        }
        long n = 0;
        for (byte b : key) {
            if (b < '0' || b > '9') {
                return -1;
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }

    /** Whether the key is a partition tick's key (without checking its number). */
    public static boolean isTickKey(byte[] key) {
        if (key == null || key.length <= TICK_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < TICK_PREFIX.length; i++) {
            if (key[i] != TICK_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /** A pet's event as JSON, Jackson's exact bytes for the record, written without Jackson. */
    public static byte[] write(PetState event) {
        if (!event.cause().isEvent()) {
            throw new IllegalArgumentException("a derived tick state of pet " + event.id() + " is not an event");
        }
        return new Writer().write(event);
    }

    public static String writeString(PetState event) {
        return new String(write(event), StandardCharsets.UTF_8);
    }

    public static byte[] write(PartitionTick tick) {
        try {
            return TICK_WRITER.writeValueAsBytes(tick);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + tick, e);
        }
    }

    public static String writeString(PartitionTick tick) {
        return new String(write(tick), StandardCharsets.UTF_8);
    }

    /** Reads a pet's event, or throws {@link PoisonRecordException} saying why it cannot be read. */
    public static PetState readState(byte[] value) {
        PetState exact = PetStateFastReader.read(value);
        PetState state = exact != null ? exact : PetJson.read(STATE_READER, value, "state");
        if (!state.cause().isEvent()) {
            throw new PoisonRecordException("pet " + state.id() + ": \"tick\" is no event; ticks are partition records", null);
        }
        return state;
    }

    public static PetState readState(String value) {
        return readState(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a partition's tick, or throws {@link PoisonRecordException} saying why it cannot be read. */
    public static PartitionTick readTick(byte[] value) {
        return PetJson.read(TICK_READER, value, "tick");
    }

    /**
     * Reads a record of the topic and checks that its key names it, or throws {@link PoisonRecordException} saying
     * why it cannot be used.
     */
    public static PetStateRecord read(byte[] key, byte[] value) {
        if (isTickKey(key)) {
            PartitionTick tick = readTick(value);
            if (!Arrays.equals(key, tickKey(tick.partition()))) {
                throw new PoisonRecordException("the key '" + excerpt(key) + "' is not the key of partition "
                        + tick.partition() + "'s ticks", null);
            }
            return tick;
        }
        long id = petIdOf(key);
        if (id < 0) {
            throw new PoisonRecordException(key == null ? "a record needs a key: a pet id or tick-<partition>"
                    : "the key '" + excerpt(key) + "' is neither a pet id nor tick-<partition>", null);
        }
        PetState state = readState(value);
        if (state.id() != id) {
            throw new PoisonRecordException("the key '" + id + "' is not the state's pet id " + state.id(), null);
        }
        return state;
    }

    /**
     * {@link #read(byte[], byte[])}, and checks that the record is where it belongs among {@code partitions}
     * partitions: a pet's event in its pet's partition, a tick in the partition it names.
     */
    public static PetStateRecord read(byte[] key, byte[] value, int partition, int partitions) {
        PetStateRecord record = read(key, value);
        if (record instanceof PetState state) {
            int home = PetPartitioner.partitionOf(state.id(), partitions);
            if (home != partition) {
                throw new PoisonRecordException("pet " + state.id() + " lives in partition " + home + ", not " + partition, null);
            }
        } else if (record instanceof PartitionTick tick && tick.partition() != partition) {
            throw new PoisonRecordException("the tick of partition " + tick.partition() + " is in partition " + partition, null);
        }
        return record;
    }

    private static String excerpt(byte[] key) {
        return PoisonRecordException.excerpt(new String(key, StandardCharsets.UTF_8));
    }

    /** Jackson's bytes for a {@link PetState}, escapes included, without its data binding (seeding writes millions). */
    private static final class Writer {
        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        private static final byte[][] SPECIES = new byte[Species.values().length][];
        private static final byte[][] CAUSES = new byte[Cause.values().length][];
        private static final byte[] ID = ascii("{\"id\":");
        private static final byte[] OWNER = ascii(",\"owner\":\"");
        private static final byte[] NAME = ascii(",\"name\":\"");
        private static final byte[] SPECIES_FIELD = ascii("\",\"species\":\"");
        private static final byte[] AGE = ascii("\",\"age\":");
        private static final byte[] HUNGER = ascii(",\"hunger\":");
        private static final byte[] ALIVE = ascii(",\"alive\":true,\"version\":");
        private static final byte[] DEAD = ascii(",\"alive\":false,\"version\":");
        private static final byte[] CAUSE = ascii(",\"cause\":\"");
        private static final byte[] TICK = ascii("\",\"tick\":");
        private static final byte[] AT = ascii(",\"at\":");
        private static final byte[] COMMAND = ascii(",\"command\":\"");

        static {
            for (Species s : Species.values()) {
                SPECIES[s.ordinal()] = ascii(s.id());
            }
            for (Cause c : Cause.values()) {
                CAUSES[c.ordinal()] = ascii(c.id());
            }
        }

        private byte[] buf = new byte[256];
        private int pos;

        byte[] write(PetState s) {
            raw(ID);
            number(s.id());
            if (s.owner() != null) {
                raw(OWNER);
                string(s.owner());
                raw('"');
            }
            raw(NAME);
            string(s.name());
            raw(SPECIES_FIELD);
            raw(SPECIES[s.species().ordinal()]);
            raw(AGE);
            number(s.age());
            raw(HUNGER);
            number(s.hunger());
            raw(s.alive() ? ALIVE : DEAD);
            number(s.version());
            raw(CAUSE);
            raw(CAUSES[s.cause().ordinal()]);
            raw(TICK);
            number(s.tick());
            raw(AT);
            number(s.at());
            if (s.command() != null) {
                raw(COMMAND);
                string(s.command());
                raw('"');
            }
            raw('}');
            return Arrays.copyOf(buf, pos);
        }

        private void raw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }

        private void raw(char c) {
            ensure(1);
            buf[pos++] = (byte) c;
        }

        private void number(long n) {
            if (n < 0) {
                raw(ascii(Long.toString(n)));
                return;
            }
            ensure(20);
            int digits = 1;
            for (long rest = n / 10; rest != 0; rest /= 10) {
                digits++;
            }
            int end = pos + digits;
            for (int i = end - 1; i >= pos; i--) {
                buf[i] = (byte) ('0' + n % 10);
                n /= 10;
            }
            pos = end;
        }

        /** A string's content as UTF-8, escaped the way Jackson's UTF-8 generator escapes by default. */
        private void string(String s) {
            // at most 6 bytes per char (an escape), 3 bytes per char of UTF-8
            ensure(s.length() * 6);
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (c >= 0x20 && c != '"' && c != '\\') {
                        buf[pos++] = (byte) c;
                    } else {
                        escape(c);
                    }
                } else if (c < 0x800) {
                    buf[pos++] = (byte) (0xC0 | (c >> 6));
                    buf[pos++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    // Jackson's UTF-8 generator writes each half of a pair (and a lone half) as an escape
                    hexEscape(c);
                } else {
                    buf[pos++] = (byte) (0xE0 | (c >> 12));
                    buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[pos++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }

        private void escape(char c) {
            switch (c) {
                case '"' -> pair('"');
                case '\\' -> pair('\\');
                case '\b' -> pair('b');
                case '\t' -> pair('t');
                case '\n' -> pair('n');
                case '\f' -> pair('f');
                case '\r' -> pair('r');
                default -> hexEscape(c);
            }
        }

        private void pair(char c) {
            buf[pos++] = '\\';
            buf[pos++] = (byte) c;
        }

        private void hexEscape(char c) {
            buf[pos++] = '\\';
            buf[pos++] = 'u';
            buf[pos++] = HEX[c >> 12];
            buf[pos++] = HEX[(c >> 8) & 0xF];
            buf[pos++] = HEX[(c >> 4) & 0xF];
            buf[pos++] = HEX[c & 0xF];
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }

        private static byte[] ascii(String s) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
