package dev.livepet.persistence.kafka;

import dev.livepet.contract.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The trace of a batch write: one span per batch that holds traced events (those of a player's command), a child of
 * the first such event's span and linked to the others, so each feed's trace reaches PostgreSQL. Batches without one
 * (ticks, deaths, seeding: nearly all) get no span; a record costs one header lookup.
 */
final class BatchTracing {
    /** A batch links at most this many traced events (a backlog after an outage may hold thousands). */
    static final int MAX_LINKS = 32;
    static final AttributeKey<Long> RECORDS = AttributeKey.longKey("messaging.batch.message_count");
    static final AttributeKey<Long> TRACED = AttributeKey.longKey("livepet.traced.events");
    static final AttributeKey<List<String>> TRACE_IDS = AttributeKey.stringArrayKey("livepet.linked.trace.ids");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    BatchTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("dev.livepet.persistence");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    /** The traced events of one poll, gathered as it is read. */
    final class Traced {
        private final List<SpanContext> events = new ArrayList<>();
        private int count;

        /** Takes the record's context if it has one: a header lookup for every record, more only for traced ones. */
        void offer(ConsumerRecord<byte[], byte[]> record) {
            if (!TraceHeaders.traced(record.headers())) {
                return;
            }
            count++;
            if (events.size() < MAX_LINKS) {
                SpanContext context = Span.fromContext(
                        propagator.extract(Context.root(), record.headers(), TraceHeaders.GETTER)).getSpanContext();
                if (context.isValid()) {
                    events.add(context);
                }
            }
        }

        /** The batch's span, or null when it holds no traced event; ended by {@link #end}. */
        Span start(int records) {
            if (events.isEmpty()) {
                return null;
            }
            SpanBuilder builder = tracer.spanBuilder("persist pet-state batch")
                    .setParent(Context.root().with(Span.wrap(events.get(0))))
                    .setSpanKind(SpanKind.CONSUMER)
                    .setAttribute(RECORDS, (long) records)
                    .setAttribute(TRACED, (long) count);
            List<String> traceIds = new ArrayList<>(events.size());
            for (SpanContext event : events) {
                traceIds.add(event.getTraceId());
                if (event != events.get(0)) {
                    builder.addLink(event);
                }
            }
            return builder.setAttribute(TRACE_IDS, traceIds).startSpan();
        }
    }

    Traced traced() {
        return new Traced();
    }

    static void end(Span span, Throwable failure) {
        if (span == null) {
            return;
        }
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
