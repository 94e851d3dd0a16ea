package io.remora.bench.chaos;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The chaos run's timeline in one-second buckets: transactions whose effects reached the host
 * (first delivery of their commit), the primary's adopted and executed counts, and the faults.
 * Written as CSV and as a PNG chart (throughput and adopt ratio, faults marked).
 *
 * <p>Not thread-safe: the driver thread records.
 */
final class Timeline {
    /** A fault or recovery at {@code millis} after the start. */
    record Event(long millis, String kind, String detail) {
    }

    static final long BUCKET_MS = 1000;

    private final List<long[]> buckets = new ArrayList<>(); // {delivered, adopted, executed}
    private final List<Event> events = new ArrayList<>();

    void delivered(long millis, int transactions) {
        bucket(millis)[0] += transactions;
    }

    void executed(long millis, long adopted, long executed) {
        long[] b = bucket(millis);
        b[1] += adopted;
        b[2] += executed;
    }

    void event(long millis, String kind, String detail) {
        bucket(millis);
        events.add(new Event(millis, kind, detail));
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    private long[] bucket(long millis) {
        int i = (int) Math.max(0, millis / BUCKET_MS);
        while (buckets.size() <= i) {
            buckets.add(new long[3]);
        }
        return buckets.get(i);
    }

    /** {@code second,delivered_tx_per_s,adopted,executed,adopt_ratio,events}: one row per bucket. */
    void writeCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("second,delivered_tx_per_s,adopted,executed,adopt_ratio,events\n");
        for (int i = 0; i < buckets.size(); i++) {
            long[] b = buckets.get(i);
            StringBuilder ev = new StringBuilder();
            for (Event e : events) {
                if (e.millis() / BUCKET_MS == i) {
                    ev.append(ev.isEmpty() ? "" : " ").append(e.kind()).append('(').append(e.detail()).append(')');
                }
            }
            sb.append(String.format(Locale.ROOT, "%d,%.0f,%d,%d,%s,\"%s\"%n", i, b[0] * 1000.0 / BUCKET_MS, b[1], b[2],
                    b[2] == 0 ? "" : String.format(Locale.ROOT, "%.3f", (double) b[1] / b[2]), ev));
        }
        Files.writeString(file, sb);
    }

    /** Throughput (left axis) and adopt ratio (right axis) over time; faults as markers along the top. */
    void writeChart(Path file, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1400).height(600).title(title)
                .xAxisTitle("time (s)").yAxisTitle("effects delivered (tx/s)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.setYAxisGroupTitle(1, "adopt ratio (%)");
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, 100.0);
        int n = Math.max(1, buckets.size());
        double[] x = new double[n];
        double[] tput = new double[n];
        double[] adopt = new double[n];
        double max = 1;
        for (int i = 0; i < n; i++) {
            long[] b = i < buckets.size() ? buckets.get(i) : new long[3];
            x[i] = (i + 0.5) * BUCKET_MS / 1000.0;
            tput[i] = b[0] * 1000.0 / BUCKET_MS;
            adopt[i] = b[2] == 0 ? 0 : 100.0 * b[1] / b[2];
            max = Math.max(max, tput[i]);
        }
        XYSeries t = chart.addSeries("throughput (tx/s)", x, tput);
        t.setMarker(SeriesMarkers.NONE);
        XYSeries a = chart.addSeries("adopt ratio (%)", x, adopt);
        a.setMarker(SeriesMarkers.NONE);
        a.setYAxisGroup(1);
        a.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        marks(chart, "pre-executor SIGKILL", max * 1.06, Color.RED, SeriesMarkers.DIAMOND);
        marks(chart, "pre-executor SIGSTOP", max * 1.12, new Color(230, 140, 0), SeriesMarkers.TRIANGLE_DOWN);
        marks(chart, "pre-executor SIGCONT", max * 1.12, new Color(0, 150, 0), SeriesMarkers.TRIANGLE_UP);
        marks(chart, "primary SIGKILL", max * 1.18, Color.BLACK, SeriesMarkers.SQUARE);
        marks(chart, "primary ready", max * 1.18, Color.BLUE, SeriesMarkers.CIRCLE);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMax(0, max * 1.25);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private void marks(XYChart chart, String kind, double y, Color color, org.knowm.xchart.style.markers.Marker marker) {
        List<Double> xs = new ArrayList<>();
        for (Event e : events) {
            if (e.kind().equals(kind)) {
                xs.add(e.millis() / 1000.0);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        List<Double> ys = xs.stream().map(v -> y).toList();
        XYSeries s = chart.addSeries(kind + " (" + xs.size() + ")", xs, ys);
        s.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(marker);
        s.setMarkerColor(color);
    }
}
