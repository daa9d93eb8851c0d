package dev.livepet.persistence.kafka;

import dev.livepet.contract.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch with traced events is one span in the first one's trace, linked to the others; a batch without, none. */
class BatchTracingTest {
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final BatchTracing tracing = new BatchTracing(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build());

    @Test
    void aBatchOfTracedEventsIsOneSpanInTheFirstsTraceLinkedToTheRest() {
        BatchTracing.Traced traced = tracing.traced();
        traced.offer(record(0, null));
        traced.offer(record(1, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        traced.offer(record(2, null));
        traced.offer(record(3, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        Span span = traced.start(4);
        BatchTracing.end(span, null);

        assertThat(spans.getFinishedSpanItems()).hasSize(1);
        SpanData batch = spans.getFinishedSpanItems().get(0);
        assertThat(batch.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(batch.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(batch.getLinks()).extracting(LinkData::getSpanContext)
                .extracting(c -> c.getTraceId() + "/" + c.getSpanId())
                .containsExactly("4bf92f3577b34da6a3ce929d0e0e4736/00f067aa0ba902b7");
        assertThat(batch.getAttributes().get(BatchTracing.TRACED)).isEqualTo(2L);
        assertThat(batch.getAttributes().get(BatchTracing.RECORDS)).isEqualTo(4L);
    }

    @Test
    void aBatchWithoutTracedEventsMakesNoSpan() {
        BatchTracing.Traced traced = tracing.traced();
        traced.offer(record(0, null));
        traced.offer(record(1, null));
        Span span = traced.start(2);
        BatchTracing.end(span, null);

        assertThat(span).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add(TraceHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("pet-state", 0, offset, 0L, TimestampType.CREATE_TIME, 0, 0,
                "1".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }
}
