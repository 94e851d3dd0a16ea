package io.remora.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a sweep's points as {@code results.csv}, {@code results.json} and {@code results.md}
 * (one row per point, then the maximum sustainable throughput of each configuration).
 *
 * <p>Stateless and thread-safe. JSON is written by hand (flat objects of numbers, booleans and strings).
 */
public final class ResultWriter {
    static final List<String> COLUMNS = List.of("workload", "configuration", "pre_executors", "offered_tps",
            "throughput_tps", "transactions", "commits",
            "commit_p50_ms", "commit_p90_ms", "commit_p99_ms", "commit_max_ms",
            "submit_p50_ms", "submit_p90_ms", "submit_p99_ms", "submit_max_ms",
            "adopt_ratio", "adopted", "reexecuted", "cpu_primary_cores", "cpu_preexec_cores",
            "cpu_us_per_tx_primary", "cpu_us_per_tx_total",
            "wait_ms_per_commit", "execute_ms_per_commit", "persist_ms_per_commit",
            "reexecuted_stale", "reexecuted_conflict", "reexecuted_no_result",
            "saturated", "sustainable", "digest_match", "status", "note");

    private ResultWriter() {
    }

    /** Writes the three files into {@code dir} (created if missing). */
    public static void writeAll(Path dir, List<PointResult> points, Map<String, String> runInfo) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.csv"), csv(points));
        Files.writeString(dir.resolve("results.json"), json(points, runInfo));
        Files.writeString(dir.resolve("results.md"), markdown(points, runInfo));
    }

    /** The values of one point, in {@link #COLUMNS} order (numbers unformatted). */
    static List<Object> values(PointResult p) {
        LatencySummary c = p.commitToEffects();
        LatencySummary s = p.submitToEffects();
        String perProcess = p.cpuPreExecutors().stream().map(v -> fmt(v, 2)).collect(Collectors.joining("/"));
        return List.of(p.workload(), p.configuration(), p.preExecutors(), p.offeredRate(), p.throughput(),
                p.transactions(), p.commits(), c.p50Ms(), c.p90Ms(), c.p99Ms(), c.maxMs(),
                s.p50Ms(), s.p90Ms(), s.p99Ms(), s.maxMs(), p.adoptRatio(), p.adopted(), p.reexecuted(),
                p.cpuPrimary(), perProcess, p.cpuMicrosPerTxPrimary(), p.cpuMicrosPerTxTotal(), p.breakdown().waitMs(), p.breakdown().executeMs(), p.breakdown().persistMs(),
                p.breakdown().stale(), p.breakdown().conflict(), p.breakdown().noResult(),
                p.saturated(), p.sustainable(), p.digestMatch(), p.status(), p.note());
    }

    public static String csv(List<PointResult> points) {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (PointResult p : points) {
            List<String> cells = new ArrayList<>();
            for (Object v : values(p)) {
                cells.add(csvCell(v));
            }
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    static String csvCell(Object v) {
        String s = v instanceof Double d ? fmt(d, 3) : String.valueOf(v);
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    public static String json(List<PointResult> points, Map<String, String> runInfo) {
        StringBuilder b = new StringBuilder("{\n  \"run\": {");
        int n = 0;
        for (Map.Entry<String, String> e : runInfo.entrySet()) {
            b.append(n++ == 0 ? "" : ",").append("\n    ").append(jsonString(e.getKey())).append(": ")
                    .append(jsonString(e.getValue()));
        }
        b.append("\n  },\n  \"points\": [");
        for (int i = 0; i < points.size(); i++) {
            List<Object> vals = values(points.get(i));
            b.append(i == 0 ? "" : ",").append("\n    {");
            for (int j = 0; j < COLUMNS.size(); j++) {
                b.append(j == 0 ? "" : ", ").append(jsonString(COLUMNS.get(j))).append(": ").append(jsonValue(vals.get(j)));
            }
            b.append('}');
        }
        return b.append("\n  ]\n}\n").toString();
    }

    static String jsonValue(Object v) {
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : fmt(d, 3);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return jsonString(String.valueOf(v));
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The per-point table and the maximum-sustainable-throughput table, in markdown. */
    public static String markdown(List<PointResult> points, Map<String, String> runInfo) {
        StringBuilder b = new StringBuilder("# Remora end-to-end benchmark\n\n");
        for (Map.Entry<String, String> e : runInfo.entrySet()) {
            b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        b.append('\n').append(pointTable(points)).append('\n').append(maxThroughputTable(points));
        return b.toString();
    }

    public static String pointTable(List<PointResult> points) {
        StringBuilder b = new StringBuilder(
                "| workload | config | offered tx/s | tx/s | commits | commit→effects p50 / p90 / p99 / max ms | "
                        + "submit→effects p50 / p99 ms | adopt | CPU primary / pre-executors (cores) "
                        + "| CPU µs/tx primary / all | ok |\n"
                        + "|---|---|---:|---:|---:|---|---|---:|---|---|---|\n");
        for (PointResult p : points) {
            LatencySummary c = p.commitToEffects();
            LatencySummary s = p.submitToEffects();
            String cpuKids = p.cpuPreExecutors().isEmpty() ? "–"
                    : p.cpuPreExecutors().stream().map(v -> fmt(v, 2)).collect(Collectors.joining(" + "));
            String ok = p.status() + (p.digestMatch() ? ", digest ✓" : ", DIGEST ✗");
            b.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %d | %s / %s / %s / %s | %s / %s | %s | %s / %s | %s / %s | %s |%n",
                    p.workload(), p.configuration(), p.offeredRate(), p.throughput(), p.commits(),
                    fmt(c.p50Ms(), 1), fmt(c.p90Ms(), 1), fmt(c.p99Ms(), 1), fmt(c.maxMs(), 1),
                    fmt(s.p50Ms(), 1), fmt(s.p99Ms(), 1),
                    p.preExecutors() == 0 ? "–" : fmt(100 * p.adoptRatio(), 1) + "%",
                    fmt(p.cpuPrimary(), 2), cpuKids, fmt(p.cpuMicrosPerTxPrimary(), 0), fmt(p.cpuMicrosPerTxTotal(), 0), ok));
        }
        return b.toString();
    }

    /**
     * Per workload and configuration: the highest offered rate that was sustained with every lower
     * rate of the sweep sustained too (0 if the lowest was not). A pass above a failure does not
     * count: a configuration that fails at 3,000 tx/s and passes at 4,000 sustains 2,000.
     */
    public static Map<String, Map<String, Double>> maxSustainable(List<PointResult> points) {
        Map<String, Map<String, List<PointResult>>> grouped = new LinkedHashMap<>();
        for (PointResult p : points) {
            grouped.computeIfAbsent(p.workload(), w -> new LinkedHashMap<>())
                    .computeIfAbsent(p.configuration(), c -> new java.util.ArrayList<>()).add(p);
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        grouped.forEach((workload, byConfig) -> byConfig.forEach((config, ps) -> {
            double best = 0;
            for (PointResult p : ps.stream().sorted(java.util.Comparator.comparingDouble(PointResult::offeredRate)).toList()) {
                if (!p.sustainable()) {
                    break;
                }
                best = p.offeredRate();
            }
            out.computeIfAbsent(workload, w -> new LinkedHashMap<>()).put(config, best);
        }));
        return out;
    }

    public static String maxThroughputTable(List<PointResult> points) {
        Map<String, Map<String, Double>> best = maxSustainable(points);
        List<String> configs = points.stream().map(PointResult::configuration).distinct().toList();
        StringBuilder b = new StringBuilder("Maximum sustainable throughput (highest offered tx/s sustained, with every lower rate sustained too: served >= 95%,"
                + " commit→effects p99 < 20 ms over >= " + PointResult.MIN_COMMITS + " commits, not saturated):\n\n| workload |");
        configs.forEach(c -> b.append(' ').append(c).append(" |"));
        b.append("\n|---|").append("---:|".repeat(configs.size())).append('\n');
        for (Map.Entry<String, Map<String, Double>> e : best.entrySet()) {
            b.append("| ").append(e.getKey()).append(" |");
            for (String c : configs) {
                Double v = e.getValue().get(c);
                b.append(' ').append(v == null ? "" : v == 0 ? "< lowest rate" : fmt(v, 0)).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
