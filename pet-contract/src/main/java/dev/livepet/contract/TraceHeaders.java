package dev.livepet.contract;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The trace context of a record, in its headers: W3C {@code traceparent} (and {@code tracestate}), as OpenTelemetry's
 * propagators read and write them. A command sent by a player's request carries its request's context, and the event
 * the simulator publishes for that command carries the context of applying it, so that one feed is one trace across
 * the three services. Ticks, seeded pets and deaths carry none: nothing is traced per tick or per pet.
 */
public final class TraceHeaders {
    /** The W3C trace context header; a record without it is not traced. */
    public static final String TRACEPARENT = "traceparent";

    /** Reads a context from a record's headers (the last of each name wins). */
    public static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    /** Writes a context into a record's headers, replacing any of the same name. */
    public static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private TraceHeaders() {
    }

    /** Whether the record carries a trace context: the one check on the paths that see every record. */
    public static boolean traced(Headers headers) {
        return headers != null && headers.lastHeader(TRACEPARENT) != null;
    }

    /** The trace id a record's {@code traceparent} names ({@code 00-<trace id>-<span id>-<flags>}), or null. */
    public static String traceId(Headers headers) {
        String parent = GETTER.get(headers, TRACEPARENT);
        if (parent == null || parent.length() < 55) {
            return null;
        }
        return parent.substring(3, 35);
    }
}
