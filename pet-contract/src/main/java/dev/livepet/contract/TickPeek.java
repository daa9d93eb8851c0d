package dev.livepet.contract;

import java.nio.charset.StandardCharsets;

/**
 * The id, version and event time of a live pet's tick, read from the two ends of its JSON without reading the rest
 * (name, owner, species): a consumer that only keeps the newest tick of each pet until a later flush has no use
 * for the whole state 200,000 times a second. Accepts only the exact layout {@link PetJson#write(PetState)} gives a
 * tick ({@code {"id":N,…,"alive":true,"version":V,"cause":"tick","at":T}}); anything else is not a tick to it.
 * It checks no more than that: the full state is read (and a broken middle found) when the tick is finally used.
 * Reusable and not thread-safe: one per consuming thread, no allocation per record.
 */
public final class TickPeek {
    private static final byte[] ID = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BEFORE_VERSION = ",\"alive\":true,\"version\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BEFORE_AT = ",\"cause\":\"tick\",\"at\":".getBytes(StandardCharsets.US_ASCII);

    private long id;
    private long version;
    private long at;
    private int end;

    /** Reads {@code json} as a live pet's tick; on true, {@link #id()}, {@link #version()} and {@link #at()} hold it. */
    public boolean read(byte[] json) {
        if (json == null || json.length > PetJson.MAX_RECORD_BYTES
                || json.length < ID.length + BEFORE_VERSION.length + BEFORE_AT.length + 4
                || json[json.length - 1] != '}' || !startsWith(json, ID, 0)) {
            return false;
        }
        end = json.length - 1;
        at = digitsBefore(json);
        if (at < 0 || !endsAt(json, BEFORE_AT)) {
            return false;
        }
        version = digitsBefore(json);
        if (version <= 0 || !endsAt(json, BEFORE_VERSION)) {
            return false;
        }
        int pos = ID.length;
        long n = 0;
        int start = pos;
        while (pos < json.length && json[pos] >= '0' && json[pos] <= '9' && pos - start < 18) {
            n = n * 10 + (json[pos++] - '0');
        }
        if (pos == start || json[start] == '0' || pos >= end || json[pos] != ',') {
            return false;
        }
        id = n;
        return true;
    }

    /** Whether {@code key} is this tick's pet id in decimal, the record key a pet's records must have. */
    public boolean isKeyOfThisPet(String key) {
        if (key == null || key.isEmpty() || key.length() > 18 || key.charAt(0) == '0') {
            return false;
        }
        long n = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            n = n * 10 + (c - '0');
        }
        return n == id;
    }

    public long id() {
        return id;
    }

    public long version() {
        return version;
    }

    public long at() {
        return at;
    }

    /** The non-negative number (at most 18 digits, no leading zero) that ends just before {@code end}, -1 if none. */
    private long digitsBefore(byte[] json) {
        int last = end - 1;
        int first = last;
        while (first >= 0 && json[first] >= '0' && json[first] <= '9' && last - first < 18) {
            first--;
        }
        first++;
        if (first > last || (json[first] == '0' && first < last) || (first > 0 && json[first - 1] >= '0' && json[first - 1] <= '9')) {
            return -1;
        }
        long n = 0;
        for (int i = first; i <= last; i++) {
            n = n * 10 + (json[i] - '0');
        }
        end = first;
        return n;
    }

    /** Whether {@code suffix} ends just before {@code end}; if so, moves {@code end} to its start. */
    private boolean endsAt(byte[] json, byte[] suffix) {
        int from = end - suffix.length;
        if (from < 0 || !startsWith(json, suffix, from)) {
            return false;
        }
        end = from;
        return true;
    }

    private static boolean startsWith(byte[] json, byte[] prefix, int from) {
        for (int i = 0; i < prefix.length; i++) {
            if (json[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
