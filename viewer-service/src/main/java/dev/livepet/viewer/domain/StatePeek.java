package dev.livepet.viewer.domain;

import dev.livepet.contract.Cause;

import java.nio.charset.StandardCharsets;

/**
 * The cause and event time of a pet-state record read straight from its JSON bytes, without parsing it: the world
 * dashboard looks at every record (200,000 a second in a million-pet world) and needs only these two fields.
 * A field name in quotes followed by a colon cannot occur inside a JSON string (its quotes would be escaped), so
 * any match is the field: both are searched from the end, where the contract writes them.
 */
public final class StatePeek {
    private static final byte[] CAUSE = "\"cause\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AT = "\"at\":".getBytes(StandardCharsets.US_ASCII);
    private static final Cause[] CAUSES = Cause.values();
    private static final byte[][] CAUSE_IDS = new byte[CAUSES.length][];

    static {
        for (int i = 0; i < CAUSES.length; i++) {
            CAUSE_IDS[i] = (CAUSES[i].id() + "\"").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private StatePeek() {
    }

    /** The record's cause, or null when it has none this viewer knows. */
    public static Cause cause(byte[] json) {
        int at = lastIndexOf(json, CAUSE);
        if (at < 0) {
            return null;
        }
        int value = at + CAUSE.length;
        for (int i = 0; i < CAUSES.length; i++) {
            if (startsWith(json, CAUSE_IDS[i], value)) {
                return CAUSES[i];
            }
        }
        return null;
    }

    /** The record's event time in epoch milliseconds, or -1 when it has none. */
    public static long at(byte[] json) {
        int field = lastIndexOf(json, AT);
        if (field < 0) {
            return -1;
        }
        long value = 0;
        int digits = 0;
        for (int i = field + AT.length; i < json.length && digits < 19; i++, digits++) {
            byte b = json[i];
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
        }
        return digits == 0 ? -1 : value;
    }

    private static int lastIndexOf(byte[] json, byte[] pattern) {
        if (json == null) {
            return -1;
        }
        for (int i = json.length - pattern.length; i >= 0; i--) {
            if (startsWith(json, pattern, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] json, byte[] prefix, int from) {
        if (from + prefix.length > json.length) {
            return false;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (json[from + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }
}
