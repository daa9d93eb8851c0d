package dev.livepet.simulator.kafka;

import dev.livepet.contract.PetCommand;
import dev.livepet.contract.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Continues a command's trace: a command record that carries a trace context (the viewer's request that sent it) gets
 * a span for applying it, and the events it causes carry that span's context in their headers. A command without one
 * costs a header lookup; ticks, seeding and deaths never come here, so tracing costs per command, never per pet or tick.
 */
public final class CommandTracing {
    public static final AttributeKey<Long> PET_ID = AttributeKey.longKey("livepet.pet.id");
    public static final AttributeKey<String> COMMAND_ID = AttributeKey.stringKey("livepet.command.id");
    public static final AttributeKey<Long> PARTITION = AttributeKey.longKey("messaging.destination.partition.id");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("livepet.command.outcome");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public CommandTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("dev.livepet.simulator");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    /** No tracing at all (a loop made outside the application, in tests and benchmarks). */
    public static CommandTracing off() {
        return new CommandTracing(OpenTelemetry.noop());
    }

    /** The span of applying {@code command}, made current; null when its record carries no trace context. */
    Applying start(ConsumerRecord<byte[], byte[]> record, PetCommand command) {
        if (!TraceHeaders.traced(record.headers())) {
            return null;
        }
        Context parent = propagator.extract(Context.root(), record.headers(), TraceHeaders.GETTER);
        Span span = tracer.spanBuilder("apply " + command.getClass().getSimpleName())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(PET_ID, command.petId())
                .setAttribute(COMMAND_ID, command.commandId())
                .setAttribute(PARTITION, (long) record.partition())
                .startSpan();
        return new Applying(span, span.makeCurrent());
    }

    /** One command being applied under its span. */
    final class Applying implements AutoCloseable {
        private final Span span;
        private final Scope scope;

        private Applying(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        /** Headers that carry this span's context, for an event the command causes. */
        Headers headers() {
            RecordHeaders headers = new RecordHeaders();
            propagator.inject(Context.root().with(span), headers, TraceHeaders.SETTER);
            return headers;
        }

        void outcome(String outcome, boolean refused) {
            span.setAttribute(OUTCOME, outcome);
            if (refused) {
                span.setStatus(StatusCode.ERROR, "refused");
            }
        }

        @Override
        public void close() {
            scope.close();
            span.end();
        }
    }
}
