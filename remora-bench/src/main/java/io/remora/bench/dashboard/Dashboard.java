package io.remora.bench.dashboard;

import io.remora.bench.dashboard.Series.Line;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The panels of {@code docs/grafana/remora-dashboard.json}, computed from a recording of scrapes the
 * way Prometheus would answer the panels' queries, and rendered as one PNG (a static stand-in for a
 * Grafana screenshot). Each panel's title is the Grafana panel's title; {@code DashboardTest} checks
 * that the two lists agree.
 *
 * <p>Stateless and thread-safe (runs AWT headless).
 */
public final class Dashboard {
    /** One panel: its Grafana title, y-axis title and the lines it draws from a recording. */
    record Panel(String title, String yAxis, Function<List<Scrape>, List<Line>> lines) {
    }

    private static final Map<String, String> ALL = Map.of();
    /** Ten distinct colours (Tableau 10), so that a panel's lines never share one. */
    private static final java.awt.Color[] PALETTE = {new java.awt.Color(0x4E79A7), new java.awt.Color(0xF28E2B),
        new java.awt.Color(0xE15759), new java.awt.Color(0x76B7B2), new java.awt.Color(0x59A14F),
        new java.awt.Color(0xEDC948), new java.awt.Color(0xB07AA1), new java.awt.Color(0xFF9DA7),
        new java.awt.Color(0x9C755F), new java.awt.Color(0x555555)};

    private Dashboard() {
    }

    /** The panels, in the Grafana dashboard's order (left to right, top to bottom). */
    static List<Panel> panels(double window) {
        return List.of(
                new Panel("Throughput by outcome", "tx/s", r -> {
                    List<Line> l = new ArrayList<>(Series.rate(r, "remora_primary_transactions_total", ALL, "outcome",
                            window, 1, k -> k));
                    l.addAll(Series.rate(r, "remora_primary_transactions_total", ALL, null, window, 1, k -> "all"));
                    return l;
                }),
                new Panel("Adopt ratio", "% of transactions", r -> List.of(Series.ratio(r,
                        "remora_primary_transactions_total", Map.of("outcome", "adopted"), ALL, window, 100, "adopted"))),
                new Panel("Commit→effects p50 / p99", "ms", r -> List.of(
                        Series.quantile(r, "remora_primary_commit_to_effects_seconds", 0.5, window, 1000, "p50"),
                        Series.quantile(r, "remora_primary_commit_to_effects_seconds", 0.99, window, 1000, "p99"))),
                new Panel("Result wait p50 / p99", "ms", r -> List.of(
                        Series.quantile(r, "remora_primary_result_wait_seconds", 0.5, window, 1000, "p50"),
                        Series.quantile(r, "remora_primary_result_wait_seconds", 0.99, window, 1000, "p99"))),
                new Panel("Execution and persistence p50 / p99", "ms", r -> List.of(
                        Series.quantile(r, "remora_primary_execution_seconds", 0.5, window, 1000, "execution p50"),
                        Series.quantile(r, "remora_primary_execution_seconds", 0.99, window, 1000, "execution p99"),
                        Series.quantile(r, "remora_primary_persistence_seconds", 0.5, window, 1000, "persistence p50"),
                        Series.quantile(r, "remora_primary_persistence_seconds", 0.99, window, 1000, "persistence p99"))),
                new Panel("Pre-executor queue depths", "transactions", r ->
                        Series.gauge(r, "remora_cluster_peer_queue_depth", ALL, "peer", 1, k -> k)),
                new Panel("Per-peer link: executes sent, results received, misses", "per s", r -> {
                    List<Line> l = new ArrayList<>(Series.rate(r, "remora_cluster_peer_executes_sent_total", ALL, "peer",
                            window, 1, k -> k + " executes"));
                    l.addAll(Series.rate(r, "remora_cluster_peer_results_received_total", ALL, "peer", window, 1,
                            k -> k + " results"));
                    l.addAll(Series.rate(r, "remora_cluster_peer_misses_total", ALL, "peer", window, 1,
                            k -> k + " misses"));
                    return l;
                }),
                new Panel("Pre-executor load: executed/s (reported)", "tx/s", r ->
                        Series.gauge(r, "remora_cluster_peer_executed_per_second", ALL, "peer", 1, k -> k)),
                new Panel("Process CPU", "cores", r ->
                        Series.product(r, "process_cpu_usage", "system_cpu_count", "node", k -> k)));
    }

    /** Renders every panel of {@code recording} into {@code out} (PNG, 3 columns). */
    public static void render(List<Scrape> recording, double window, String subtitle, Path out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> charts = new ArrayList<>();
        for (Panel p : panels(window)) {
            XYChart c = new XYChartBuilder().width(620).height(360).title(p.title())
                    .xAxisTitle("s since start (" + subtitle + ")").yAxisTitle(p.yAxis()).build();
            org.knowm.xchart.style.XYStyler s = c.getStyler();
            s.setLegendPosition(Styler.LegendPosition.InsideNW);
            s.setChartTitleFont(s.getChartTitleFont().deriveFont(13f));
            s.setLegendFont(s.getLegendFont().deriveFont(10f));
            s.setMarkerSize(3);
            s.setSeriesColors(PALETTE);
            s.setYAxisMin(0.0);
            int drawn = 0;
            for (Line l : p.lines().apply(recording)) {
                if (!l.x().isEmpty()) {
                    c.addSeries(l.name(), l.x(), l.y()).setMarker(SeriesMarkers.NONE);
                    drawn++;
                }
            }
            if (drawn == 0) {
                c.addSeries("no data", List.of(0.0), List.of(0.0)).setMarker(SeriesMarkers.NONE);
            }
            charts.add(c);
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        int cols = 3;
        BitmapEncoder.saveBitmap(charts, (charts.size() + cols - 1) / cols, cols, out.toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
