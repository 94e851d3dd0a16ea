package io.remora.transport.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.remora.transport.ProtocolException;
import io.remora.transport.TransportMetrics;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exports one transport's {@link TransportMetrics} to Micrometer: function counters read at scrape
 * time, so the transport's I/O threads pay nothing. Every meter carries the tag {@code link} (what
 * the transport connects: {@code cluster} for the primary's server, {@code primary} for a
 * pre-executor's client) plus the tags given here. Names (Prometheus form) and meanings are listed in
 * {@code docs/operations.md}, "Prometheus names".
 *
 * <pre>{@code
 * new TransportMeterBinder(cluster.transportMetrics(), "cluster").bindTo(registry);
 * }</pre>
 *
 * <p>Needs {@code io.micrometer:micrometer-core} on the class path (an optional dependency of this
 * module). Thread-safe; may be bound to several registries.
 */
public final class TransportMeterBinder implements MeterBinder {
    private final TransportMetrics metrics;
    private final Tags tags;

    /**
     * @param metrics the transport's counters ({@code RemoraCluster.transportMetrics()},
     *                {@code PreExecutor.transportMetrics()})
     * @param link    the {@code link} tag's value
     * @param tags    more tags for every meter (e.g. {@code node})
     */
    public TransportMeterBinder(TransportMetrics metrics, String link, Iterable<Tag> tags) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.tags = Tags.of(tags).and("link", Objects.requireNonNull(link, "link"));
    }

    public TransportMeterBinder(TransportMetrics metrics, String link) {
        this(metrics, link, Tags.empty());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "remora.transport.frames", "Frames received, as on the wire (handshake and heartbeats included)",
                TransportMetrics::framesIn, "direction", "in");
        counter(registry, "remora.transport.frames", "Frames sent, as on the wire (handshake and heartbeats included)",
                TransportMetrics::framesOut, "direction", "out");
        counter(registry, "remora.transport.bytes", "Bytes received in frames", TransportMetrics::bytesIn,
                "direction", "in");
        counter(registry, "remora.transport.bytes", "Bytes sent in frames", TransportMetrics::bytesOut,
                "direction", "out");
        for (ProtocolException.Category c : ProtocolException.Category.values()) {
            counter(registry, "remora.transport.protocol.errors", "Protocol errors by category (each closes its connection)",
                    m -> m.protocolErrors(c), "category", c.name().toLowerCase(Locale.ROOT));
        }
        counter(registry, "remora.transport.auth.failures", "Handshakes that failed and traffic sent before authentication",
                TransportMetrics::authFailures);
        counter(registry, "remora.transport.speculative.drops", "Speculative sends dropped under back-pressure",
                TransportMetrics::speculativeDrops);
        counter(registry, "remora.transport.reconnects", "Reconnection attempts of clients",
                TransportMetrics::reconnects);
        counter(registry, "remora.transport.connections.opened", "Authenticated connections established",
                TransportMetrics::connectionsOpened);
        counter(registry, "remora.transport.send.batches", "Flushes of the send path (a drained send queue, or a send on the event loop)",
                TransportMetrics::sendBatches);
        counter(registry, "remora.transport.send.batch.frames", "Frames written by those flushes (frames per batch: divide by send batches)",
                TransportMetrics::sendBatchFrames);
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<TransportMetrics> f,
                         String... extraTags) {
        FunctionCounter.builder(name, metrics, f).description(help).tags(tags).tags(extraTags)
                .baseUnit(name.endsWith(".bytes") ? "bytes" : null).register(registry);
    }
}
