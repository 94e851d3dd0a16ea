/**
 * Metrics export: {@link io.remora.transport.micrometer.TransportMeterBinder} (a Micrometer binder of
 * {@link io.remora.transport.TransportMetrics}) and {@link io.remora.transport.micrometer.PrometheusEndpoint}
 * (a JDK HTTP server for {@code GET /metrics}, no Micrometer type in its signature). Micrometer is an
 * optional dependency of this module: only the binder needs it, and only when it is used. The
 * Prometheus names are listed in {@code docs/operations.md}, "Prometheus names".
 */
package io.remora.transport.micrometer;
