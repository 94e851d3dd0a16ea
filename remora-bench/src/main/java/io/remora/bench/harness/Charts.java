package io.remora.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a sweep, as in Pilotfish's evaluation: per workload, commit→effects latency (p50
 * solid, p99 dashed) against the <em>offered</em> rate, one series per configuration, with every
 * point that was not sustained (saturated, served < 95%, p99 over 20 ms, too few commits) circled
 * in red (against measured throughput, saturated points would fold back and hide the knee); and the
 * maximum sustainable throughput per configuration, one series per workload.
 *
 * <p>Stateless and thread-safe (runs AWT headless).
 */
public final class Charts {
    private Charts() {
    }

    /** Writes {@code latency-<workload>.png} per workload and {@code max-throughput.png}; returns the files. */
    public static List<Path> writeAll(Path dir, List<PointResult> points) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        Map<String, List<PointResult>> byWorkload = new LinkedHashMap<>();
        for (PointResult p : points) {
            byWorkload.computeIfAbsent(p.workload(), w -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<String, List<PointResult>> e : byWorkload.entrySet()) {
            Path f = dir.resolve("latency-" + e.getKey().replaceAll("[^a-zA-Z0-9.-]", "_") + ".png");
            BitmapEncoder.saveBitmap(latencyChart(e.getKey(), e.getValue()), f.toString(), BitmapEncoder.BitmapFormat.PNG);
            files.add(f);
        }
        CategoryChart max = maxThroughputChart(points);
        if (max != null) {
            Path f = dir.resolve("max-throughput.png");
            BitmapEncoder.saveBitmap(max, f.toString(), BitmapEncoder.BitmapFormat.PNG);
            files.add(f);
        }
        return files;
    }

    static XYChart latencyChart(String workload, List<PointResult> points) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Commit→effects latency vs offered load: " + workload + " (red ring: not sustained)")
                .xAxisTitle("offered rate (tx/s)").yAxisTitle("latency (ms, p50 solid, p99 dashed)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.1);
        Map<String, List<PointResult>> byConfig = new LinkedHashMap<>();
        for (PointResult p : points) {
            if (p.commitToEffects().count() > 0) {
                byConfig.computeIfAbsent(p.configuration(), c -> new ArrayList<>()).add(p);
            }
        }
        for (Map.Entry<String, List<PointResult>> e : byConfig.entrySet()) {
            List<PointResult> ps = e.getValue().stream()
                    .sorted((a, b) -> Double.compare(a.offeredRate(), b.offeredRate())).toList();
            double[] x = ps.stream().mapToDouble(PointResult::offeredRate).toArray();
            double[] p50 = ps.stream().mapToDouble(p -> Math.max(0.1, p.commitToEffects().p50Ms())).toArray();
            double[] p99 = ps.stream().mapToDouble(p -> Math.max(0.1, p.commitToEffects().p99Ms())).toArray();
            XYSeries s50 = chart.addSeries(e.getKey() + " p50", x, p50);
            s50.setMarker(SeriesMarkers.CIRCLE);
            XYSeries s99 = chart.addSeries(e.getKey() + " p99", x, p99);
            s99.setMarker(SeriesMarkers.DIAMOND);
            s99.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[] {6f, 4f}, 0f));
            s99.setLineColor(null);
            List<PointResult> failed = ps.stream().filter(p -> !p.sustainable()).toList();
            if (!failed.isEmpty()) {
                XYSeries f = chart.addSeries(e.getKey() + " not sustained",
                        failed.stream().mapToDouble(PointResult::offeredRate).toArray(),
                        failed.stream().mapToDouble(p -> Math.max(0.1, p.commitToEffects().p99Ms())).toArray());
                f.setMarker(SeriesMarkers.CIRCLE);
                f.setMarkerColor(java.awt.Color.RED);
                f.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
                f.setShowInLegend(false);
            }
        }
        double[] limit = {PointResult.SUSTAINABLE_P99_MS, PointResult.SUSTAINABLE_P99_MS};
        double maxX = points.stream().mapToDouble(PointResult::offeredRate).max().orElse(1);
        XYSeries line = chart.addSeries("20 ms (sustainable p99)", new double[] {0, maxX}, limit);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(java.awt.Color.GRAY);
        return chart;
    }

    /**
     * A point's timeline (rows of {@code BenchmarkRun.timeline}: seconds, submitted, published,
     * adopt ratio, refusals by admission, synced pre-executors, commit→effects p99 ms): tx/s on the
     * left axis, adopt ratio, pre-executors and p99 on the right.
     */
    static void timeline(List<double[]> rows, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (rows.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(900).height(480).title("Timeline: " + title)
                .xAxisTitle("seconds").yAxisTitle("tx/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        double[] t = rows.stream().mapToDouble(r -> r[0]).toArray();
        String[] names = {"submitted tx/s", "published tx/s", "", "refused tx/s"};
        for (int c : new int[] {1, 2, 4}) {
            XYSeries s = chart.addSeries(names[c - 1], t, rows.stream().mapToDouble(r -> r[c]).toArray());
            s.setMarker(SeriesMarkers.NONE);
        }
        XYSeries adopt = chart.addSeries("adopted % (right axis)", t,
                rows.stream().mapToDouble(r -> Double.isNaN(r[3]) ? 0 : 100 * r[3]).toArray());
        adopt.setMarker(SeriesMarkers.NONE);
        adopt.setYAxisGroup(1);
        XYSeries peers = chart.addSeries("synced pre-executors x 10 (right axis)", t,
                rows.stream().mapToDouble(r -> 10 * r[5]).toArray());
        peers.setMarker(SeriesMarkers.NONE);
        peers.setYAxisGroup(1);
        if (rows.get(0).length > 6) {
            XYSeries p99 = chart.addSeries("commit->effects p99 ms (right axis)", t,
                    rows.stream().mapToDouble(r -> Double.isNaN(r[6]) ? 0 : r[6]).toArray());
            p99.setMarker(SeriesMarkers.NONE);
            p99.setYAxisGroup(1);
        }
        chart.setYAxisGroupTitle(1, "adopted % / pre-executors x 10 / p99 ms");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Max sustainable throughput per configuration (x: sequential, primary, remora-1..k), one series per workload. */
    static CategoryChart maxThroughputChart(List<PointResult> points) {
        Map<String, Map<String, Double>> best = ResultWriter.maxSustainable(points);
        List<String> configs = points.stream().map(PointResult::configuration).distinct().toList();
        if (configs.isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560)
                .title("Maximum sustainable throughput (it and every lower rate: p99 < 20 ms)")
                .xAxisTitle("configuration (remora-k: k pre-executors)").yAxisTitle("tx/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (Map.Entry<String, Map<String, Double>> e : best.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String c : configs) {
                ys.add(e.getValue().getOrDefault(c, 0.0));
            }
            chart.addSeries(e.getKey(), configs, ys);
        }
        return chart;
    }
}
