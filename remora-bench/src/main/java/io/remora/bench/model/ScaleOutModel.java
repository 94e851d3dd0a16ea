package io.remora.bench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scale-out model (issue 12 item 5): predicted end-to-end throughput of Remora with N
 * pre-executors on separate machines, calibrated from what {@code remora bench} measures.
 *
 * <p><b>Costs.</b> Every process's CPU is modelled as a fixed part plus a part per transaction it
 * handles, fitted by least squares on a sweep's unsaturated points (results.csv):
 * <ul>
 *   <li>each pre-executor: {@code cpu = fPre + cPre * (T / k)} cores, at throughput {@code T} with
 *       {@code k} pre-executors sharing the load (signature check, execution, its network I/O,
 *       state updates it applies);</li>
 *   <li>the primary: {@code cpu = fPrimary + T * (cPrimary + k * cPerPeer)} cores: admission,
 *       ingest, adoption or re-execution at the workload's measured adopt ratio, persistence,
 *       publication, plus what grows with the number of peers (state updates, feedback, heartbeats
 *       sent to each). With one value of {@code k} in the sweep {@code cPerPeer} is 0.</li>
 * </ul>
 *
 * <p><b>Prediction.</b> With N pre-executors of {@code preCores} cores each and a primary of
 * {@code primaryCores} cores, throughput is the smallest of three bounds: the pre-executors'
 * {@code N * (preCores - fPre) / cPre}; the primary's CPU {@code (primaryCores - fPrimary) /
 * (cPrimary + N * cPerPeer)}; and the primary's serial stages ({@code serialCeiling}: the
 * persistence and publication stages are one thread each whatever the cores, measured separately).
 * Assumptions, stated so they can be checked: routing spreads load evenly; the adopt ratio (and so
 * the re-execution cost) does not change with N (admission routes by state affinity, so a hot
 * object's transactions keep going to one pre-executor); the network between machines adds no CPU
 * beyond the loopback costs measured here.
 *
 * <p>Thread-safety: immutable.
 */
public final class ScaleOutModel {
    /** Fitted costs of one workload, in cores and core-seconds per transaction. */
    public record Calibration(String workload, double fPre, double cPre, double fPrimary, double cPrimary,
                              double cPerPeer, double adoptRatio, int points) {
        /** Predicted throughput and which bound set it. */
        public Prediction predict(int n, double preCores, double primaryCores, double serialCeiling) {
            double pre = n * Math.max(0, preCores - fPre) / cPre;
            double primary = Math.max(0, primaryCores - fPrimary) / (cPrimary + n * cPerPeer);
            double t = Math.min(pre, Math.min(primary, serialCeiling));
            String bound = t == pre ? "pre-executors" : t == primary ? "primary CPU" : "primary serial stages";
            return new Prediction(n, t, bound, pre, primary);
        }

        /**
         * k pre-executors sharing {@code preCores} cores (as on a 2-core machine with the
         * pre-executors pinned to one core): each pays its fixed part out of the same cores.
         */
        public Prediction predictShared(int k, double preCores, double primaryCores, double serialCeiling) {
            double pre = Math.max(0, preCores - k * fPre) / cPre;
            double primary = Math.max(0, primaryCores - fPrimary) / (cPrimary + k * cPerPeer);
            double t = Math.min(pre, Math.min(primary, serialCeiling));
            String bound = t == pre ? "pre-executors" : t == primary ? "primary CPU" : "primary serial stages";
            return new Prediction(k, t, bound, pre, primary);
        }
    }

    /** One predicted point. */
    public record Prediction(int preExecutors, double throughput, String bound, double preBound, double primaryBound) {
    }

    /** One row of a bench results.csv, the columns the model reads. */
    public record Point(String workload, String configuration, int preExecutors, double offered, double throughput,
                        double cpuPrimary, List<Double> cpuPreExecutors, double adoptRatio, boolean saturated) {
    }

    private ScaleOutModel() {
    }

    /** Reads the points of a {@code remora bench} results.csv. */
    public static List<Point> readCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("results=" + csv + " (expected: a remora bench results.csv with a header)");
        }
        List<String> header = splitCsv(lines.get(0));
        int workload = column(header, "workload", csv);
        int config = column(header, "configuration", csv);
        int k = column(header, "pre_executors", csv);
        int offered = column(header, "offered_tps", csv);
        int tput = column(header, "throughput_tps", csv);
        int cpuP = column(header, "cpu_primary_cores", csv);
        int cpuK = column(header, "cpu_preexec_cores", csv);
        int adopt = column(header, "adopt_ratio", csv);
        int sat = column(header, "saturated", csv);
        List<Point> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> c = splitCsv(line);
            List<Double> kids = new ArrayList<>();
            for (String v : c.get(cpuK).split("/")) {
                if (!v.isBlank()) {
                    kids.add(Double.parseDouble(v));
                }
            }
            out.add(new Point(c.get(workload), c.get(config), Integer.parseInt(c.get(k)), Double.parseDouble(c.get(offered)),
                    Double.parseDouble(c.get(tput)), Double.parseDouble(c.get(cpuP)), kids, Double.parseDouble(c.get(adopt)),
                    Boolean.parseBoolean(c.get(sat))));
        }
        return out;
    }

    private static int column(List<String> header, String name, Path csv) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("results=" + csv + " (expected: a column " + name + ")");
        }
        return i;
    }

    /** Splits one RFC 4180 line (quoted cells may hold commas and doubled quotes). */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /**
     * Fits one calibration per workload from the unsaturated points with pre-executors (k >= 1)
     * and a measured throughput; a workload needs points at two or more throughputs.
     */
    public static Map<String, Calibration> calibrate(List<Point> points) {
        Map<String, List<Point>> byWorkload = new LinkedHashMap<>();
        for (Point p : points) {
            if (p.preExecutors() >= 1 && !p.saturated() && p.throughput() > 0
                    && p.cpuPreExecutors().size() == p.preExecutors()) {
                byWorkload.computeIfAbsent(p.workload(), w -> new ArrayList<>()).add(p);
            }
        }
        Map<String, Calibration> out = new LinkedHashMap<>();
        byWorkload.forEach((w, ps) -> {
            List<double[]> preX = new ArrayList<>();
            List<Double> preY = new ArrayList<>();
            List<double[]> primX = new ArrayList<>();
            List<Double> primY = new ArrayList<>();
            double adopted = 0;
            boolean severalK = ps.stream().map(Point::preExecutors).distinct().count() > 1;
            for (Point p : ps) {
                for (double cpu : p.cpuPreExecutors()) {
                    preX.add(new double[] {1, p.throughput() / p.preExecutors()});
                    preY.add(cpu);
                }
                primX.add(severalK ? new double[] {1, p.throughput(), p.throughput() * p.preExecutors()}
                        : new double[] {1, p.throughput()});
                primY.add(p.cpuPrimary());
                adopted += p.adoptRatio() * p.throughput();
            }
            if (ps.stream().mapToDouble(Point::throughput).distinct().count() < 2) {
                return; // one throughput cannot separate the fixed part from the per-transaction part
            }
            double[] pre = leastSquares(preX, preY);
            double[] prim = leastSquares(primX, primY);
            double totalT = ps.stream().mapToDouble(Point::throughput).sum();
            out.put(w, new Calibration(w, pre[0], pre[1], prim[0], prim[1], severalK ? Math.max(0, prim[2]) : 0,
                    adopted / totalT, ps.size()));
        });
        return out;
    }

    /** Ordinary least squares {@code y = X b} by the normal equations (a few columns only). */
    static double[] leastSquares(List<double[]> x, List<Double> y) {
        int m = x.get(0).length;
        double[][] a = new double[m][m + 1];
        for (int r = 0; r < x.size(); r++) {
            double[] row = x.get(r);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    a[i][j] += row[i] * row[j];
                }
                a[i][m] += row[i] * y.get(r);
            }
        }
        // Gaussian elimination with partial pivoting.
        for (int col = 0; col < m; col++) {
            int piv = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            if (Math.abs(a[col][col]) < 1e-300) {
                throw new IllegalArgumentException("points=" + x.size() + " (expected: enough distinct points to fit "
                        + m + " coefficients)");
            }
            for (int r = 0; r < m; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= m; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] b = new double[m];
        for (int i = 0; i < m; i++) {
            b[i] = a[i][m] / a[i][i];
        }
        return b;
    }

    /** The measured ceiling of a configuration: the highest throughput any of its points reached. */
    public static Map<String, Map<Integer, Double>> measuredCeilings(List<Point> points) {
        Map<String, Map<Integer, Double>> out = new LinkedHashMap<>();
        for (Point p : points) {
            if (p.preExecutors() >= 1) {
                out.computeIfAbsent(p.workload(), w -> new LinkedHashMap<>())
                        .merge(p.preExecutors(), p.throughput(), Math::max);
            }
        }
        return out;
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
