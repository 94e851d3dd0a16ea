package io.remora.preexec.micrometer;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.remora.preexec.PreExecutor;
import io.remora.transport.micrometer.PrometheusEndpoint;
import java.net.InetSocketAddress;

/**
 * What {@code PreExecutorMain --metrics-port} runs: a Prometheus registry (every meter tagged
 * {@code node=<node id>}; JVM memory and process CPU meters included) served by a
 * {@link PrometheusEndpoint}. {@link #serve} binds the port first (so a port in use fails before
 * the pre-executor connects); {@link #bind} adds the pre-executor's meters once it has started.
 *
 * <p>Needs {@code micrometer-core} and {@code micrometer-registry-prometheus} on the class path.
 * Thread-safe.
 */
public final class PreExecutorPrometheus implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final PrometheusEndpoint endpoint;
    private final Tags tags;

    private PreExecutorPrometheus(PrometheusMeterRegistry registry, PrometheusEndpoint endpoint, Tags tags) {
        this.registry = registry;
        this.endpoint = endpoint;
        this.tags = tags;
    }

    /** Starts serving an (as yet empty of Remora meters) registry at {@code address}. */
    public static PreExecutorPrometheus serve(InetSocketAddress address, String nodeId) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Tags tags = Tags.of("node", nodeId);
        new JvmMemoryMetrics(tags).bindTo(registry);
        new ProcessorMetrics(tags).bindTo(registry);
        PrometheusEndpoint endpoint = PrometheusEndpoint.start(address, registry::scrape);
        return new PreExecutorPrometheus(registry, endpoint, tags);
    }

    /** Binds the (started) pre-executor's meters. */
    public void bind(PreExecutor preExecutor) {
        new PreExecutorMeterBinder(preExecutor, tags).bindTo(registry);
    }

    /** {@code http://host:port/metrics}. */
    public String url() {
        return endpoint.url();
    }

    @Override
    public void close() {
        endpoint.close();
        registry.close();
    }
}
