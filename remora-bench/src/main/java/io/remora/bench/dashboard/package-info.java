/**
 * {@code remora dashboard}: records Prometheus scrapes of a running demo and renders the panels of
 * {@code docs/grafana/remora-dashboard.json} as one PNG, computed as Prometheus would answer the
 * panels' queries (rates, {@code histogram_quantile} over bucket rates). A static stand-in for a
 * Grafana screenshot where no Grafana runs.
 */
package io.remora.bench.dashboard;
