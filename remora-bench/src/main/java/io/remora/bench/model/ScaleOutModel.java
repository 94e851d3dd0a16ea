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
 * <p><b>Costs.</b> Every process's CPU is modelled as a fixed part plus parts per transaction,
 * fitted by least squares on a sweep's points (results.csv):
 * <ul>
 *   <li>each pre-executor: {@code cpu = fPre + cPre * (T / k)} cores at throughput {@code T} with
 *       {@code k} pre-executors sharing the load (signature check, execution, its network I/O, the
 *       state updates it applies), fitted on the points where the pre-executors kept up (adopt
 *       ratio >= 90%, not saturated), since past that the share they executed is not known;</li>
 *   <li>the primary: {@code cpu = fPrimary + cAdopt * T * a + cLocal * T * (1 - a) + cPerPeer * T * k}
 *       at adopt ratio {@code a}: admission, ingest, adoption, persistence and publication of an
 *       adopted transaction; full local execution (signature check included) of one it executed
 *       itself; and what grows with the number of peers (state updates, heartbeats sent to each).
 *       Every unsaturated point enters this fit: overloaded points, where the primary executed
 *       much itself, are what separates {@code cLocal} from {@code cAdopt}. With one value of
 *       {@code k} in the sweep {@code cPerPeer} is 0.</li>
 * </ul>
 *
 * <p><b>Prediction.</b> With N pre-executors of {@code preCores} cores each and a primary of
 * {@code primaryCores} cores: the pre-executors can pre-execute {@code P = N (preCores - fPre) /
 * cPre} tx/s; the primary adopts what they pre-execute and executes the rest itself, so
 * throughput is the largest {@code T} with {@code fPrimary + cAdopt min(T, P) + cLocal max(0, T -
 * P) + cPerPeer N T <= primaryCores}, and at most {@code serialCeiling} (the primary's one-thread
 * stages, persistence with fsync and publication, which more cores do not speed up; measured
 * separately). Assumptions, stated so that they can be checked: routing spreads load evenly; the
 * workload's conflicts do not grow with N (admission routes by state affinity, so a hot object's
 * transactions keep going to one pre-executor); the network between machines costs no more CPU
 * than the loopback measured here.
 *
 * <p>Thread-safety: immutable.
 */
public final class ScaleOutModel {
    /** Fitted costs of one workload, in cores and core-seconds per transaction. */
    public record Calibration(String workload, double fPre, double cPre, double fPrimary, double cAdopt,
                              double cLocal, double cPerPeer, double adoptRatio, int points) {
        /** N pre-executors of {@code preCores} cores each (separate machines). */
        public Prediction predict(int n, double preCores, double primaryCores, double serialCeiling) {
            return solve(n, n * Math.max(0, preCores - fPre) / cPre, primaryCores, serialCeiling);
        }

        /**
         * k pre-executors sharing {@code preCores} cores (as on a 2-core machine with the
         * pre-executors pinned to one core): each pays its fixed part out of the same cores.
         */
        public Prediction predictShared(int k, double preCores, double primaryCores, double serialCeiling) {
            return solve(k, Math.max(0, preCores - k * fPre) / cPre, primaryCores, serialCeiling);
        }

        private Prediction solve(int n, double pre, double primaryCores, double serialCeiling) {
            double budget = Math.max(0, primaryCores - fPrimary);
            double perPeer = n * cPerPeer;
            // All pre-executed and adopted while T <= pre; beyond, the primary executes the excess.
            double allAdopted = budget / (cAdopt + perPeer);
            double t;
            String bound;
            if (allAdopted <= pre) {
                t = allAdopted;
                bound = "primary CPU (adopting)";
            } else {
                t = pre + Math.max(0, budget - pre * (cAdopt + perPeer)) / (cLocal + perPeer);
                bound = "pre-executors, then primary CPU (executing the rest)";
            }
            if (serialCeiling < t) {
                t = serialCeiling;
                bound = "primary serial stages";
            }
            return new Prediction(n, t, bound, pre, Math.min(t, pre) / Math.max(t, 1e-9));
        }
    }

    /** One predicted point: throughput, what bounds it, the pre-executors' capacity, and the share they pre-execute. */
    public record Prediction(int preExecutors, double throughput, String bound, double preCapacity, double preShare) {
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
            double adoptedSum = 0;
            double kept = 0;
            boolean severalK = ps.stream().map(Point::preExecutors).distinct().count() > 1;
            for (Point p : ps) {
                double t = p.throughput();
                if (p.adoptRatio() >= KEPT_UP) {
                    for (double cpu : p.cpuPreExecutors()) {
                        preX.add(new double[] {1, t / p.preExecutors()});
                        preY.add(cpu);
                    }
                    adoptedSum += p.adoptRatio() * t;
                    kept += t;
                }
                double a = p.adoptRatio();
                primX.add(severalK ? new double[] {1, t * a, t * (1 - a), t * p.preExecutors()}
                        : new double[] {1, t * a, t * (1 - a)});
                primY.add(p.cpuPrimary());
            }
            long keptRates = ps.stream().filter(p -> p.adoptRatio() >= KEPT_UP).mapToDouble(Point::throughput).distinct().count();
            if (keptRates < 2 || primX.size() < primX.get(0).length) {
                return; // cannot separate the fixed part from the per-transaction parts
            }
            double[] pre = leastSquares(preX, preY);
            double[] prim = leastSquares(primX, primY);
            out.put(w, new Calibration(w, pre[0], pre[1], prim[0], prim[1], prim[2], severalK ? Math.max(0, prim[3]) : 0,
                    adoptedSum / kept, ps.size()));
        });
        return out;
    }

    /** Adopt ratio at and above which a point counts as one where the pre-executors kept up. */
    static final double KEPT_UP = 0.9;

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

    /**
     * A configuration's measured ceiling: the highest throughput any of its points reached, and
     * whether the sweep showed it is the ceiling ({@code reached}: some point fell short of its
     * offered rate, by more than 5%, or saturated). When every point carried its offer, the
     * ceiling is only known to be at least {@code throughput}, and no error can be computed from it.
     */
    public record Ceiling(double throughput, boolean reached) {
    }

    /** Share of its offer a point must carry not to count as past the ceiling. */
    static final double CARRIED = 0.95;

    /** The measured ceiling of each workload's remora-k configurations. */
    public static Map<String, Map<Integer, Ceiling>> measuredCeilings(List<Point> points) {
        Map<String, Map<Integer, Ceiling>> out = new LinkedHashMap<>();
        for (Point p : points) {
            if (p.preExecutors() >= 1) {
                boolean past = p.saturated() || p.throughput() < CARRIED * p.offered();
                out.computeIfAbsent(p.workload(), w -> new LinkedHashMap<>()).merge(p.preExecutors(),
                        new Ceiling(p.throughput(), past),
                        (a, b) -> new Ceiling(Math.max(a.throughput(), b.throughput()), a.reached() || b.reached()));
            }
        }
        return out;
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
