package io.remora.transport.micrometer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.remora.transport.ProtocolException;
import io.remora.transport.TransportMetrics;
import org.junit.jupiter.api.Test;

class TransportMeterBinderTest {
    /** Fixed counters: 7 frames in, 3 out, 700/300 bytes, 2 BAD_MAC errors... */
    static final TransportMetrics FIXED = new TransportMetrics() {
        @Override public long framesIn() { return 7; }
        @Override public long framesOut() { return 3; }
        @Override public long bytesIn() { return 700; }
        @Override public long bytesOut() { return 300; }
        @Override public long protocolErrors(ProtocolException.Category c) { return c == ProtocolException.Category.BAD_MAC ? 2 : 0; }
        @Override public long protocolErrors() { return 2; }
        @Override public long authFailures() { return 1; }
        @Override public long speculativeDrops() { return 4; }
        @Override public long reconnects() { return 5; }
        @Override public long connectionsOpened() { return 6; }
        @Override public long sendBatches() { return 8; }
        @Override public long sendBatchFrames() { return 24; }
    };

    @Test
    void shouldExportTheCountersWithTheirLinkTag() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new TransportMeterBinder(FIXED, "cluster").bindTo(registry);
        String s = registry.scrape();
        for (String line : new String[] {
                "remora_transport_frames_total{direction=\"in\",link=\"cluster\"} 7.0",
                "remora_transport_frames_total{direction=\"out\",link=\"cluster\"} 3.0",
                "remora_transport_bytes_total{direction=\"in\",link=\"cluster\"} 700.0",
                "remora_transport_protocol_errors_total{category=\"bad_mac\",link=\"cluster\"} 2.0",
                "remora_transport_auth_failures_total{link=\"cluster\"} 1.0",
                "remora_transport_speculative_drops_total{link=\"cluster\"} 4.0",
                "remora_transport_reconnects_total{link=\"cluster\"} 5.0",
                "remora_transport_connections_opened_total{link=\"cluster\"} 6.0",
                "remora_transport_send_batches_total{link=\"cluster\"} 8.0",
                "remora_transport_send_batch_frames_total{link=\"cluster\"} 24.0"}) {
            assertTrue(s.contains(line), () -> "missing " + line + " in\n" + s);
        }
    }
}
