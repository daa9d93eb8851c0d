package dev.livepet.viewer.stream;

import dev.livepet.contract.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;

/**
 * Continues a feed's trace in the viewer: an event whose record carries a trace context (the simulator's span of
 * applying its command) gets a span for showing it, from when the stream read it to when its state was handed to the
 * sockets of the pet's watchers. Untraced records (ticks and nearly all events) cost one header lookup.
 */
@ApplicationScoped
public class EventTracing {
    static final AttributeKey<Long> PET_ID = AttributeKey.longKey("livepet.pet.id");
    static final AttributeKey<String> COMMAND_ID = AttributeKey.stringKey("livepet.command.id");
    static final AttributeKey<Long> WATCHERS = AttributeKey.longKey("livepet.watchers");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public EventTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("dev.livepet.viewer");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    /** The context a record carries, or null when it carries none (the common case, decided by one lookup). */
    Context carried(Headers headers) {
        return TraceHeaders.traced(headers) ? propagator.extract(Context.root(), headers, TraceHeaders.GETTER) : null;
    }

    /** The span of showing an event read from the stream, started when it was read; null when it is not traced. */
    Span reading(Context carried, long petId, String commandId) {
        if (carried == null) {
            return null;
        }
        return tracer.spanBuilder("show pet-state event").setParent(carried).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(PET_ID, petId).setAttribute(COMMAND_ID, commandId == null ? "" : commandId).startSpan();
    }

    /** The event was handed to the sockets of {@code watchers} browsers of its pet. */
    static void shown(Span span, int watchers) {
        span.setAttribute(WATCHERS, (long) watchers);
        span.end();
    }
}
