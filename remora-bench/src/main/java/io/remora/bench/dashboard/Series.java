package io.remora.bench.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * PromQL-like functions over a recording (a list of scrapes in time order), each giving one time
 * series per group: {@code rate}, {@code histogram_quantile} over a rate of buckets, gauge values.
 * Points where a value is undefined (no data yet, an empty window) are left out.
 *
 * <p>Stateless.
 */
final class Series {
    /** A named line: x = seconds since the recording started. */
    record Line(String name, List<Double> x, List<Double> y) {
        Line(String name) {
            this(name, new ArrayList<>(), new ArrayList<>());
        }

        void add(double t, double v) {
            if (Double.isFinite(v)) {
                x.add(t);
                y.add(v);
            }
        }
    }

    private Series() {
    }

    /** The scrape at least {@code window} seconds before scrape {@code i} (or the first one), for a rate. */
    private static int windowStart(List<Scrape> rec, int i, double window) {
        int j = i - 1;
        while (j > 0 && rec.get(i).atSeconds() - rec.get(j - 1).atSeconds() <= window) {
            j--;
        }
        return j;
    }

    /** {@code sum by (by) (rate(name{match}[window]))}, per second; a counter that went down counts from 0. */
    static List<Line> rate(List<Scrape> rec, String name, Map<String, String> match, String by, double window,
                           double scale, Function<String, String> label) {
        Map<String, Line> lines = new TreeMap<>();
        for (int i = 1; i < rec.size(); i++) {
            int j = windowStart(rec, i, window);
            Map<String, Double> now = rec.get(i).sumBy(name, match, by);
            Map<String, Double> then = rec.get(j).sumBy(name, match, by);
            double dt = rec.get(i).atSeconds() - rec.get(j).atSeconds();
            for (Map.Entry<String, Double> e : now.entrySet()) {
                Double before = then.get(e.getKey());
                if (before == null || dt <= 0) {
                    continue;
                }
                double d = e.getValue() >= before ? e.getValue() - before : e.getValue();
                lines.computeIfAbsent(e.getKey(), k -> new Line(label.apply(k))).add(rec.get(i).atSeconds(), scale * d / dt);
            }
        }
        return new ArrayList<>(lines.values());
    }

    /** {@code sum(rate(num[w])) / sum(rate(den[w]))} × scale. */
    static Line ratio(List<Scrape> rec, String name, Map<String, String> num, Map<String, String> den, double window,
                      double scale, String lineName) {
        Line out = new Line(lineName);
        for (int i = 1; i < rec.size(); i++) {
            int j = windowStart(rec, i, window);
            double n = delta(rec.get(j), rec.get(i), name, num);
            double d = delta(rec.get(j), rec.get(i), name, den);
            if (d > 0) {
                out.add(rec.get(i).atSeconds(), scale * n / d);
            }
        }
        return out;
    }

    private static double delta(Scrape a, Scrape b, String name, Map<String, String> match) {
        double x = b.sumBy(name, match, null).getOrDefault("", 0.0);
        double y = a.sumBy(name, match, null).getOrDefault("", 0.0);
        return x >= y ? x - y : x;
    }

    /**
     * {@code histogram_quantile(q, sum by (le) (rate(name_bucket[window])))} × scale, as Prometheus
     * computes it: linear interpolation inside the bucket holding the rank; the +Inf bucket gives the
     * highest finite bound.
     */
    static Line quantile(List<Scrape> rec, String histogram, double q, double window, double scale, String lineName) {
        Line out = new Line(lineName);
        String bucket = histogram + "_bucket";
        for (int i = 1; i < rec.size(); i++) {
            int j = windowStart(rec, i, window);
            Map<String, Double> now = rec.get(i).sumBy(bucket, Map.of(), "le");
            Map<String, Double> then = rec.get(j).sumBy(bucket, Map.of(), "le");
            TreeMap<Double, Double> cumulative = new TreeMap<>();
            for (Map.Entry<String, Double> e : now.entrySet()) {
                double le = e.getKey().equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(e.getKey());
                double before = then.getOrDefault(e.getKey(), 0.0);
                cumulative.put(le, e.getValue() >= before ? e.getValue() - before : e.getValue());
            }
            out.add(rec.get(i).atSeconds(), scale * histogramQuantile(q, cumulative));
        }
        return out;
    }

    /** Prometheus' histogram_quantile over cumulative bucket counts by upper bound (NaN if empty). */
    static double histogramQuantile(double q, TreeMap<Double, Double> cumulative) {
        if (cumulative.isEmpty()) {
            return Double.NaN;
        }
        double total = cumulative.lastEntry().getValue();
        if (!(total > 0)) {
            return Double.NaN;
        }
        double rank = q * total;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (Double.isInfinite(e.getKey())) {
                    return lower;
                }
                double inBucket = e.getValue() - below;
                return inBucket <= 0 ? e.getKey() : lower + (e.getKey() - lower) * (rank - below) / inBucket;
            }
            lower = e.getKey();
            below = e.getValue();
        }
        return lower;
    }

    /** {@code sum by (by) (name{match})} × scale, at each scrape. */
    static List<Line> gauge(List<Scrape> rec, String name, Map<String, String> match, String by, double scale,
                            Function<String, String> label) {
        Map<String, Line> lines = new TreeMap<>();
        for (Scrape s : rec) {
            for (Map.Entry<String, Double> e : s.sumBy(name, match, by).entrySet()) {
                lines.computeIfAbsent(e.getKey(), k -> new Line(label.apply(k))).add(s.atSeconds(), scale * e.getValue());
            }
        }
        return new ArrayList<>(lines.values());
    }

    /** {@code a{by} * b{by}} at each scrape (e.g. CPU usage × CPU count = cores busy). */
    static List<Line> product(List<Scrape> rec, String a, String b, String by, Function<String, String> label) {
        Map<String, Line> lines = new TreeMap<>();
        for (Scrape s : rec) {
            Map<String, Double> x = s.sumBy(a, Map.of(), by);
            Map<String, Double> y = s.sumBy(b, Map.of(), by);
            for (Map.Entry<String, Double> e : x.entrySet()) {
                Double other = y.get(e.getKey());
                if (other != null) {
                    lines.computeIfAbsent(e.getKey(), k -> new Line(label.apply(k))).add(s.atSeconds(), e.getValue() * other);
                }
            }
        }
        return new ArrayList<>(lines.values());
    }
}
