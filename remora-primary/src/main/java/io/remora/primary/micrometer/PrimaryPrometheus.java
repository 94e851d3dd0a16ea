package io.remora.primary.micrometer;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.remora.primary.RemoraCluster;
import io.remora.primary.RemoraPrimary;
import io.remora.transport.micrometer.PrometheusEndpoint;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A validator's {@code --metrics-port} in three lines: a Prometheus registry (every meter tagged
 * {@code node=<node>}; JVM memory, GC and process CPU meters included) served by a
 * {@link PrometheusEndpoint}, to which the primary and the cluster are bound as they start.
 *
 * <pre>{@code
 * PrimaryPrometheus metrics = PrimaryPrometheus.serve(PrometheusEndpoint.loopback(port), "validator-1");
 * metrics.bind(primary);          // any time after build()
 * metrics.bind(cluster);          // after cluster.start()
 * ...
 * metrics.close();                // before cluster.close() and primary.close()
 * }</pre>
 *
 * <p>Needs {@code micrometer-core} and {@code micrometer-registry-prometheus} on the class path
 * (optional dependencies of {@code remora-primary}). Thread-safe.
 */
public final class PrimaryPrometheus implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final PrometheusEndpoint endpoint;
    private final Tags tags;
    private final JvmGcMetrics gc;
    private final List<AutoCloseable> binders = new ArrayList<>();

    private PrimaryPrometheus(PrometheusMeterRegistry registry, PrometheusEndpoint endpoint, Tags tags, JvmGcMetrics gc) {
        this.registry = registry;
        this.endpoint = endpoint;
        this.tags = tags;
        this.gc = gc;
    }

    /**
     * Binds {@code address} and serves the (as yet JVM-only) registry at {@code /metrics}.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static PrimaryPrometheus serve(InetSocketAddress address, String node) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Tags tags = Tags.of("node", node);
        JvmGcMetrics gc = new JvmGcMetrics(tags);
        try {
            new JvmMemoryMetrics(tags).bindTo(registry);
            new ProcessorMetrics(tags).bindTo(registry);
            gc.bindTo(registry);
            return new PrimaryPrometheus(registry, PrometheusEndpoint.start(address, registry::scrape), tags, gc);
        } catch (RuntimeException e) {
            gc.close();
            registry.close();
            throw e;
        }
    }

    /** Binds the primary's meters ({@link PrimaryMeterBinder}). */
    public synchronized PrimaryPrometheus bind(RemoraPrimary primary) {
        PrimaryMeterBinder b = new PrimaryMeterBinder(primary, tags);
        b.bindTo(registry);
        binders.add(b);
        return this;
    }

    /** Binds the (started) cluster's meters ({@link ClusterMeterBinder}, peers read every second). */
    public synchronized PrimaryPrometheus bind(RemoraCluster cluster) {
        ClusterMeterBinder b = new ClusterMeterBinder(cluster, tags, Duration.ofSeconds(1));
        b.bindTo(registry);
        binders.add(b);
        return this;
    }

    /** The registry, to bind more meters to. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** {@code http://host:port/metrics}. */
    public String url() {
        return endpoint.url();
    }

    /** Stops serving, closes the binders (timing listener, peer refresh thread) and the registry. Idempotent. */
    @Override
    public synchronized void close() {
        endpoint.close();
        for (AutoCloseable b : binders) {
            try {
                b.close();
            } catch (Exception e) {
                // the binders' close() throws nothing
            }
        }
        binders.clear();
        gc.close();
        registry.close();
    }
}
