/**
 * Micrometer binders of the primary ({@link io.remora.primary.micrometer.PrimaryMeterBinder}) and the
 * cluster service ({@link io.remora.primary.micrometer.ClusterMeterBinder}), and
 * {@link io.remora.primary.micrometer.PrimaryPrometheus}, a validator's Prometheus endpoint in three
 * lines. Micrometer is an optional dependency of {@code remora-primary}: only this package refers to it.
 *
 * <pre>
 *  scrape thread (any)          function counters and gauges read RemoraPrimary.metrics() (one
 *                               snapshot per 100 ms), RemoraCluster.metrics(), transportMetrics()
 *  remora-publish               CommitTimingListener: 4 timer updates per commit (the histograms)
 *  remora-metrics-peers         every 1 s: RemoraCluster.peers(); registers / removes per-peer meters
 *  remora-metrics-http-*        PrometheusEndpoint's 2 handler threads (PrimaryPrometheus)
 * </pre>
 *
 * Names, types and labels: {@code docs/operations.md}, "Prometheus names".
 */
package io.remora.primary.micrometer;
