package io.remora.bench.cli;

import io.remora.bench.harness.RunObserver;
import io.remora.preexec.PreExecutorMain;
import io.remora.primary.RemoraCluster;
import io.remora.primary.RemoraPrimary;
import io.remora.primary.micrometer.PrimaryPrometheus;
import io.remora.transport.micrometer.PrometheusEndpoint;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code remora demo --metrics-port P}: the primary's and the cluster's meters (and the JVM's), tagged
 * {@code node=primary}, at {@code http://127.0.0.1:P/metrics} for the whole run ({@link PrimaryPrometheus});
 * pre-executor process n serves its own at port {@code P + n}. {@link #close()} waits {@code linger},
 * then stops serving.
 *
 * <p>Not thread-safe (the run's thread).
 */
final class DemoMetrics implements RunObserver, AutoCloseable {
    private final PrimaryPrometheus metrics;
    private final int port;
    private final Duration linger;
    private final PrintStream out;

    DemoMetrics(int port, Duration linger, PrintStream out) {
        this.port = port;
        this.linger = linger;
        this.out = out;
        try {
            this.metrics = PrimaryPrometheus.serve(PrometheusEndpoint.loopback(port), "primary");
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--metrics-port=" + port + " (expected: a free port): " + e.getMessage());
        }
        out.println("  metrics: " + metrics.url() + (port > 0 ? " (pre-executor n at port " + port + " + n)" : ""));
    }

    @Override
    public void primaryStarted(RemoraPrimary primary) {
        metrics.bind(primary);
    }

    @Override
    public void clusterStarted(RemoraCluster cluster) {
        metrics.bind(cluster);
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
            metrics.close();
        }
    }
}
