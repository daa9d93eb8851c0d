package dev.livepet.simulator.domain;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition's pets and clock written as bytes, column by column, with the offset of the state topic it covers: the
 * partition equals every committed record before that offset, so a restore loads the snapshot and reads only the
 * records from that offset on. Format 2, big-endian:
 * <pre>
 * int magic 'LPPS', short format, int partition, int partitionCount, long coveredOffset, long takenAt,
 * long clockTick, long clockAt, int size,
 * long[size] ids, long[size] versions, char[size] ages, short[size] hungers, int[size] event ticks,
 * byte[size] kinds (species | alive),
 * int adopted, adopted × (int slot, string owner, string name), int commands, commands × string (oldest first)
 * </pre>
 * where a pet's age and hunger are those of its last event, which holds at its event tick, and a string is an int
 * length (-1 for null) and that many bytes: each UTF-16 unit as UTF-8 encodes it (so lone surrogates survive). A reader
 * refuses formats it does not know (format 1 held each pet's state at the last tick, with no event ticks and no
 * clock), so such a snapshot is skipped and the state topic replayed rather than misread.
 */
public final class PartitionSnapshot {
    public static final int MAGIC = 0x4C505053; // "LPPS"
    public static final short FORMAT = 2;
    private static final int PET_BYTES = 8 + 8 + 2 + 2 + 4 + 1;
    private static final int HEADER_BYTES = 4 + 2 + 4 + 4 + 8 + 8 + 8 + 8 + 4;

    /**
     * A partition read back, and the first offset of the state topic that is not in it.
     *
     * @param partitionCount the world's partition count when the snapshot was taken
     */
    public record Loaded(PetPartition pets, long coveredOffset, long takenAt, int partitionCount) {
    }

    private PartitionSnapshot() {
    }

    /**
     * The pets of {@code pets} as bytes.
     *
     * @param coveredOffset the first state-topic offset whose record is not part of this state
     */
    public static byte[] write(PetPartition pets, int partitionCount, long coveredOffset, long takenAt) {
        int size = pets.size();
        // strings are encoded first, so that the buffer is allocated once at its exact size
        List<byte[]> adoptions = new ArrayList<>();
        long stringBytes = 0;
        for (int s = 0; s < size; s++) {
            PetPartition.Adoption a = pets.adoption(s);
            if (a != null) {
                byte[] owner = utf8(a.owner());
                byte[] name = utf8(a.name());
                adoptions.add(ByteBuffer.allocate(4).putInt(s).array());
                adoptions.add(owner);
                adoptions.add(name);
                stringBytes += 4 + 4 + length(owner) + 4 + length(name);
            }
        }
        List<byte[]> commands = new ArrayList<>();
        for (String c : pets.recentCommandIds()) {
            byte[] b = utf8(c);
            commands.add(b);
            stringBytes += 4 + length(b);
        }
        long total = HEADER_BYTES + (long) size * PET_BYTES + 4 + stringBytes + 4;
        if (total > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("partition " + pets.partition() + " is too big for one snapshot: " + total + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.putInt(MAGIC).putShort(FORMAT).putInt(pets.partition()).putInt(partitionCount)
                .putLong(coveredOffset).putLong(takenAt).putLong(pets.clock().tick()).putLong(pets.clock().at()).putInt(size);
        for (int s = 0; s < size; s++) {
            out.putLong(pets.id(s));
        }
        for (int s = 0; s < size; s++) {
            out.putLong(pets.version(s));
        }
        for (int s = 0; s < size; s++) {
            out.putChar((char) pets.eventAge(s));
        }
        for (int s = 0; s < size; s++) {
            out.putShort((short) pets.eventHunger(s));
        }
        for (int s = 0; s < size; s++) {
            out.putInt((int) pets.eventTick(s));
        }
        for (int s = 0; s < size; s++) {
            out.put(pets.kind(s));
        }
        out.putInt(adoptions.size() / 3);
        for (int i = 0; i < adoptions.size(); i += 3) {
            out.put(adoptions.get(i));
            putString(out, adoptions.get(i + 1));
            putString(out, adoptions.get(i + 2));
        }
        out.putInt(commands.size());
        for (byte[] c : commands) {
            putString(out, c);
        }
        if (out.hasRemaining()) {
            throw new IllegalStateException("snapshot size miscounted by " + out.remaining() + " bytes");
        }
        return out.array();
    }

    /**
     * Reads a snapshot written by {@link #write}, whatever the partition count it names (the caller decides whether
     * the world it was taken of is this one).
     *
     * @throws IllegalArgumentException when the bytes are not a snapshot of format 2 of {@code partition}, are cut
     *                                  short, or hold impossible pets
     */
    public static Loaded read(byte[] bytes, int partition, WorldRules rules, int recentCommandIds) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (in.getInt() != MAGIC) {
                throw new IllegalArgumentException("not a partition snapshot");
            }
            short format = in.getShort();
            if (format != FORMAT) {
                throw new IllegalArgumentException("snapshot format " + format + " is not the one this simulator reads (" + FORMAT + ")");
            }
            int p = in.getInt();
            int count = in.getInt();
            if (p != partition || count <= p) {
                throw new IllegalArgumentException("a snapshot of partition " + p + " of " + count
                        + ", not of partition " + partition);
            }
            long coveredOffset = in.getLong();
            long takenAt = in.getLong();
            long clockTick = in.getLong();
            long clockAt = in.getLong();
            if (clockTick < 0 || clockTick > TickClock.MAX_TICK) {
                throw new IllegalArgumentException("a snapshot at tick " + clockTick);
            }
            int size = in.getInt();
            if (size < 0 || (long) size * PET_BYTES > in.remaining()) {
                throw new IllegalArgumentException("a snapshot of " + size + " pets in " + bytes.length + " bytes");
            }
            long[] ids = new long[size];
            long[] versions = new long[size];
            char[] ages = new char[size];
            short[] hungers = new short[size];
            int[] ticks = new int[size];
            byte[] kinds = new byte[size];
            in.asLongBuffer().get(ids);
            in.position(in.position() + 8 * size);
            in.asLongBuffer().get(versions);
            in.position(in.position() + 8 * size);
            in.asCharBuffer().get(ages);
            in.position(in.position() + 2 * size);
            in.asShortBuffer().get(hungers);
            in.position(in.position() + 2 * size);
            in.asIntBuffer().get(ticks);
            in.position(in.position() + 4 * size);
            in.get(kinds);
            String[] owners = new String[size];
            String[] names = new String[size];
            int adopted = in.getInt();
            if (adopted < 0 || adopted > size) {
                throw new IllegalArgumentException(adopted + " adopted pets among " + size);
            }
            for (int i = 0; i < adopted; i++) {
                int slot = in.getInt();
                if (slot < 0 || slot >= size) {
                    throw new IllegalArgumentException("adopted pet in slot " + slot + " of " + size);
                }
                owners[slot] = getString(in);
                names[slot] = getString(in);
            }
            PetPartition pets = new PetPartition(partition, rules, recentCommandIds, Math.max(1, size));
            pets.restoreClock(clockTick, clockAt);
            for (int s = 0; s < size; s++) {
                pets.addFromSnapshot(ids[s], owners[s], names[s], kinds[s], ages[s], hungers[s], ticks[s], versions[s]);
            }
            int commands = in.getInt();
            if (commands < 0 || commands > in.remaining() / 4) {
                throw new IllegalArgumentException(commands + " command ids in " + in.remaining() + " bytes");
            }
            for (int i = 0; i < commands; i++) {
                pets.rememberCommand(getString(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the end of the snapshot");
            }
            return new Loaded(pets, coveredOffset, takenAt, count);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the snapshot is cut short (" + bytes.length + " bytes)", e);
        }
    }

    private static void putString(ByteBuffer out, byte[] b) {
        if (b == null) {
            out.putInt(-1);
        } else {
            out.putInt(b.length).put(b);
        }
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("a string of " + length + " bytes where " + in.remaining() + " are left");
        }
        char[] chars = new char[length];
        int n = 0;
        int end = in.position() + length;
        while (in.position() < end) {
            int b = in.get() & 0xFF;
            if (b < 0x80) {
                chars[n++] = (char) b;
            } else if ((b & 0xE0) == 0xC0) {
                chars[n++] = (char) (((b & 0x1F) << 6) | continuation(in, end));
            } else if ((b & 0xF0) == 0xE0) {
                int high = continuation(in, end);
                chars[n++] = (char) (((b & 0x0F) << 12) | (high << 6) | continuation(in, end));
            } else {
                throw new IllegalArgumentException("a string with the byte " + b + " that starts no character");
            }
        }
        return new String(chars, 0, n);
    }

    private static int continuation(ByteBuffer in, int end) {
        int b = in.position() < end ? in.get() & 0xFF : -1;
        if ((b & 0xC0) != 0x80) {
            throw new IllegalArgumentException("a string with a character cut short");
        }
        return b & 0x3F;
    }

    /**
     * Each UTF-16 unit in one to three bytes, as UTF-8 writes the characters below U+10000: unlike UTF-8 this keeps
     * a lone surrogate, which the state topic's JSON keeps too, so a snapshot and a replay agree on every name.
     */
    private static byte[] utf8(String s) {
        if (s == null) {
            return null;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        byte[] b = new byte[n];
        int at = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[at++] = (byte) c;
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return b;
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }
}
