package io.remora.bench.cli;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.remora.bench.harness.RunObserver;
import io.remora.preexec.PreExecutorMain;
import io.remora.primary.RemoraCluster;
import io.remora.primary.RemoraPrimary;
import io.remora.primary.micrometer.ClusterMeterBinder;
import io.remora.primary.micrometer.PrimaryMeterBinder;
import io.remora.transport.micrometer.PrometheusEndpoint;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code remora demo --metrics-port P}: the primary's and the cluster's meters (and the JVM's), tagged
 * {@code node=primary}, at {@code http://127.0.0.1:P/metrics} for the whole run; pre-executor process n
 * serves its own at port {@code P + n}. {@link #close()} waits {@code linger}, then closes the binders and
 * the endpoint.
 *
 * <p>Not thread-safe (the run's thread).
 */
final class DemoMetrics implements RunObserver, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusEndpoint endpoint;
    private final JvmGcMetrics gc = new JvmGcMetrics(Tags.of("node", "primary"));
    private final int port;
    private final Duration linger;
    private final PrintStream out;
    private PrimaryMeterBinder primaryMeters;
    private ClusterMeterBinder clusterMeters;

    DemoMetrics(int port, Duration linger, PrintStream out) {
        this.port = port;
        this.linger = linger;
        this.out = out;
        Tags node = Tags.of("node", "primary");
        new JvmMemoryMetrics(node).bindTo(registry);
        new ProcessorMetrics(node).bindTo(registry);
        gc.bindTo(registry);
        try {
            this.endpoint = PrometheusEndpoint.start(PrometheusEndpoint.loopback(port), registry::scrape);
        } catch (java.io.UncheckedIOException e) {
            registry.close();
            throw new IllegalArgumentException("--metrics-port=" + port + " (expected: a free port): " + e.getMessage());
        }
        out.println("  metrics: " + endpoint.url() + (port > 0 ? " (pre-executor n at port " + port + " + n)" : ""));
    }

    @Override
    public void primaryStarted(RemoraPrimary primary) {
        primaryMeters = new PrimaryMeterBinder(primary, Tags.of("node", "primary"));
        primaryMeters.bindTo(registry);
    }

    @Override
    public void clusterStarted(RemoraCluster cluster) {
        clusterMeters = new ClusterMeterBinder(cluster, Tags.of("node", "primary"), Duration.ofSeconds(1));
        clusterMeters.bindTo(registry);
    }

    @Override
    public void clusterClosing(RemoraCluster cluster) {
        // Keep the per-peer meters until the end (the final values), but stop reading a closing cluster.
    }

    @Override
    public List<String> preExecutorArgs(String nodeId, int n) {
        return port == 0 ? List.of() : List.of(PreExecutorMain.METRICS_PORT, Integer.toString(port + n));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (linger.isPositive()) {
                out.println("  metrics: still served for " + linger.toMillis() + " ms (--metrics-linger)");
                Thread.sleep(linger.toMillis());
            }
        } finally {
            if (clusterMeters != null) {
                clusterMeters.close();
            }
            if (primaryMeters != null) {
                primaryMeters.close();
            }
            endpoint.close();
            gc.close();
            registry.close();
        }
    }
}
