package dev.livepet.simulator.domain;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PartitionSnapshot} cut into records small enough for Kafka's default message size, and put back
 * together. Each chunk, format 1, big-endian: int magic 'LPSC', short format, int partition, long snapshot id,
 * int index, int count, int total payload length, then its part of the payload. Its key is
 * {@code <partition>/<index>}, so compaction keeps the newest chunk of each index.
 */
public final class SnapshotChunks {
    public static final int MAGIC = 0x4C505343; // "LPSC"
    public static final short FORMAT = 1;
    public static final int HEADER_BYTES = 4 + 2 + 4 + 8 + 4 + 4 + 4;

    /** One record of a snapshot: its key and value. */
    public record Chunk(byte[] key, byte[] value) {
    }

    private SnapshotChunks() {
    }

    /** Cuts {@code payload} into chunks of at most {@code chunkBytes} bytes of payload each. */
    public static List<Chunk> split(int partition, long snapshotId, byte[] payload, int chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunks need at least one byte");
        }
        int count = Math.max(1, (payload.length + chunkBytes - 1) / chunkBytes);
        List<Chunk> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * chunkBytes;
            int length = Math.min(chunkBytes, payload.length - from);
            ByteBuffer value = ByteBuffer.allocate(HEADER_BYTES + length);
            value.putInt(MAGIC).putShort(FORMAT).putInt(partition).putLong(snapshotId).putInt(i).putInt(count)
                    .putInt(payload.length).put(payload, from, length);
            chunks.add(new Chunk(key(partition, i), value.array()));
        }
        return chunks;
    }

    public static byte[] key(int partition, int index) {
        return (partition + "/" + index).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Collects the chunks of one partition in the order they were read and tells which snapshot is the newest
     * complete one. Records that are no chunk of this partition are counted and otherwise ignored.
     */
    public static final class Assembly {
        private final int partition;
        private final Map<Long, Parts> byId = new HashMap<>();
        private Parts newest;
        private Parts newestComplete;
        private int unreadable;

        public Assembly(int partition) {
            this.partition = partition;
        }

        /** Takes the value of the next record read, in offset order. */
        public void add(byte[] value) {
            ByteBuffer in = value == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(value);
            try {
                if (in.getInt() != MAGIC || in.getShort() != FORMAT || in.getInt() != partition) {
                    unreadable++;
                    return;
                }
                long id = in.getLong();
                int index = in.getInt();
                int count = in.getInt();
                int total = in.getInt();
                if (count < 1 || index < 0 || index >= count || total < 0 || in.remaining() > total) {
                    unreadable++;
                    return;
                }
                Parts parts = byId.computeIfAbsent(id, i -> new Parts(count, total));
                if (parts.count != count || parts.total != total) {
                    unreadable++;
                    return;
                }
                byte[] part = new byte[in.remaining()];
                in.get(part);
                parts.add(index, part);
                newest = parts;
                if (parts.complete()) {
                    newestComplete = parts;
                }
            } catch (BufferUnderflowException e) {
                unreadable++;
            }
        }

        /** The payload of the newest snapshot all of whose chunks were read, or null. */
        public byte[] newestComplete() {
            return newestComplete == null ? null : newestComplete.payload();
        }

        /**
         * Whether the snapshot read last is not complete: its first chunks lie before where reading started
         * (read further back), or it was overwritten by compaction (a newer one follows, so this cannot be the last).
         */
        public boolean newestIsIncomplete() {
            return newest != null && newest != newestComplete;
        }

        /** How many chunks the newest snapshot has, 0 before any was read. */
        public int newestChunkCount() {
            return newest == null ? 0 : newest.count;
        }

        public int unreadable() {
            return unreadable;
        }
    }

    private static final class Parts {
        final int count;
        final int total;
        final byte[][] parts;
        int present;
        int bytes;

        Parts(int count, int total) {
            this.count = count;
            this.total = total;
            this.parts = new byte[count][];
        }

        void add(int index, byte[] part) {
            if (parts[index] == null) {
                present++;
            } else {
                bytes -= parts[index].length;
            }
            parts[index] = part;
            bytes += part.length;
        }

        boolean complete() {
            return present == count && bytes == total;
        }

        byte[] payload() {
            ByteBuffer out = ByteBuffer.allocate(total);
            for (byte[] part : parts) {
                out.put(part);
            }
            return out.array();
        }
    }
}
