package dev.livepet.persistence;

import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * With {@code livepet.tracing.log-spans} each span this service ends is a line of its log (logger
 * {@code io.opentelemetry.exporter.logging.LoggingSpanExporter}: name, trace id, span id, kind, attributes), so a
 * local world shows a feed's trace without a collector. Off by default: the OTLP exporter is production's way.
 */
@Singleton
public class SpanLog {
    @Produces
    @Singleton
    SpanProcessor logSpans(@ConfigProperty(name = "livepet.tracing.log-spans", defaultValue = "false") boolean on) {
        return on ? SimpleSpanProcessor.create(LoggingSpanExporter.create()) : SpanProcessor.composite();
    }
}
