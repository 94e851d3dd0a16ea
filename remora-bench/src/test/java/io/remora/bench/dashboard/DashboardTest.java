package io.remora.bench.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardTest {
    static final Path GRAFANA = Path.of("..", "docs", "grafana", "remora-dashboard.json");

    @Test
    void shouldDrawTheGrafanaDashboardsPanelsInItsOrder() throws Exception {
        String json = Files.readString(GRAFANA);
        Matcher m = Pattern.compile("\"type\": \"timeseries\",\\s*\"title\": \"([^\"]+)\"").matcher(json);
        List<String> grafana = new ArrayList<>();
        while (m.find()) {
            grafana.add(m.group(1));
        }
        assertEquals(grafana, Dashboard.panels(5).stream().map(Dashboard.Panel::title).toList());
        for (String name : List.of("remora_primary_transactions_total", "remora_primary_commit_to_effects_seconds_bucket",
                "remora_primary_result_wait_seconds_bucket", "remora_primary_persistence_seconds_bucket",
                "remora_cluster_peer_queue_depth", "remora_cluster_peer_executes_sent_total")) {
            assertTrue(json.contains(name), name);
        }
    }

    @Test
    void shouldComputeQuantilesAsPrometheusDoes() {
        TreeMap<Double, Double> b = new TreeMap<>(Map.of(0.001, 0.0, 0.01, 50.0, 0.1, 100.0, Double.POSITIVE_INFINITY, 100.0));
        assertEquals(0.0055, Series.histogramQuantile(0.25, b), 1e-12, "interpolated inside (1 ms, 10 ms]");
        assertEquals(0.01 + 0.09 * 49 / 50, Series.histogramQuantile(0.99, b), 1e-12);
        TreeMap<Double, Double> inf = new TreeMap<>(Map.of(0.1, 1.0, Double.POSITIVE_INFINITY, 10.0));
        assertEquals(0.1, Series.histogramQuantile(0.99, inf), "the +Inf bucket answers the highest finite bound");
        assertTrue(Double.isNaN(Series.histogramQuantile(0.5, new TreeMap<>(Map.of(Double.POSITIVE_INFINITY, 0.0)))));
    }

    @Test
    void shouldRenderARecordingOfScrapes(@TempDir Path dir) throws Exception {
        List<Scrape> rec = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            rec.add(Scrape.parse(t, """
                    # TYPE remora_primary_transactions_total counter
                    remora_primary_transactions_total{node="primary",outcome="adopted"} %d.0
                    remora_primary_transactions_total{node="primary",outcome="reexecuted_conflict"} %d.0
                    remora_primary_commit_to_effects_seconds_bucket{le="0.001",node="primary"} %d
                    remora_primary_commit_to_effects_seconds_bucket{le="+Inf",node="primary"} %d
                    remora_cluster_peer_queue_depth{node="primary",peer="pre-1"} 3.0
                    """.formatted(900 * t, 100 * t, 9 * t, 10 * t)));
        }
        List<Series.Line> rate = Series.rate(rec, "remora_primary_transactions_total", Map.of(), null, 2, 1, k -> "all");
        assertEquals(1000.0, rate.get(0).y().get(5), 1e-9);
        assertEquals(90.0, Series.ratio(rec, "remora_primary_transactions_total", Map.of("outcome", "adopted"), Map.of(),
                2, 100, "a").y().get(3), 1e-9);
        Path png = dir.resolve("d.png");
        Dashboard.render(rec, 2, "test", png);
        assertTrue(Files.size(png) > 10_000, "a PNG was written");
    }
}
