package io.remora.bench.cli;

import io.remora.bench.model.ScaleOutModel;
import io.remora.bench.model.ScaleOutModel.Calibration;
import io.remora.bench.model.ScaleOutModel.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code remora model}: the scale-out model ({@link ScaleOutModel}) calibrated from a
 * {@code remora bench} results.csv, validated against that sweep's measured ceilings, and its
 * prediction for 1..64 pre-executors on separate machines (a table and a chart).
 */
@Command(name = "model", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Predicts throughput for 1..64 pre-executors from costs a bench sweep measured.",
        description = {"Fits each process's CPU (fixed + per transaction) on the sweep's unsaturated remora-k points,",
                "checks the fit against the sweep's own ceilings (the highest throughput each remora-k reached, with the",
                "pre-executors sharing --measured-pre-cores cores as the sweep ran them), then predicts N pre-executors of",
                "--pre-cores cores each on separate machines and a primary of --primary-cores cores. Example:",
                "  taskset -c 0 ./remora bench --workloads transfers --configs remora-1,remora-2 \\",
                "      --rates 500,1000,1500,4000,6000 --preexec-cpus 1 --out /tmp/cal",
                "  ./remora model --from /tmp/cal/results.csv --out /tmp/model"})
final class ModelCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "A remora bench results.csv (remora-k points at >= 2 rates).")
    Path from;

    @Option(names = "--pre-cores", defaultValue = "2", description = "Cores of each pre-executor machine (default: ${DEFAULT-VALUE}).")
    double preCores;

    @Option(names = "--primary-cores", defaultValue = "16", description = "Cores of the primary (default: ${DEFAULT-VALUE}).")
    double primaryCores;

    @Option(names = "--serial-ceiling", defaultValue = "120000",
            description = "tx/s the primary's one-thread stages (persistence with fsync, publication) allow whatever its cores"
                    + " (default: ${DEFAULT-VALUE}; docs/benchmarks.md, \"Scale-out model\", says where it comes from).")
    double serialCeiling;

    @Option(names = "--measured-pre-cores", defaultValue = "1",
            description = "Cores the sweep's pre-executors shared (taskset --preexec-cpus; default: ${DEFAULT-VALUE}).")
    double measuredPreCores;

    @Option(names = "--measured-primary-cores", defaultValue = "1",
            description = "Cores the sweep's primary had (default: ${DEFAULT-VALUE}).")
    double measuredPrimaryCores;

    @Option(names = "--max", defaultValue = "64", description = "Largest N (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--out", description = "Directory for scale-out.md and scale-out-<workload>.png (default: print only).")
    Path out;

    @Override
    public Integer call() throws Exception {
        RunOptions.require(preCores > 0 && primaryCores > 0 && measuredPreCores > 0 && measuredPrimaryCores > 0,
                "--pre-cores/--primary-cores/--measured-*-cores", preCores + "/" + primaryCores, "> 0");
        RunOptions.require(max >= 1 && max <= 1024, "--max", max, "1..1024");
        RunOptions.require(serialCeiling > 0, "--serial-ceiling", serialCeiling, "> 0 tx/s");
        List<ScaleOutModel.Point> points = ScaleOutModel.readCsv(from);
        Map<String, Calibration> cal = ScaleOutModel.calibrate(points);
        if (cal.isEmpty()) {
            System.err.println("model: no workload of " + from + " has unsaturated remora-k points at two or more rates");
            return 1;
        }
        Map<String, Map<Integer, ScaleOutModel.Ceiling>> measured = ScaleOutModel.measuredCeilings(points);
        StringBuilder md = new StringBuilder();
        md.append("Calibration (from ").append(from).append("): CPU in cores = fixed + per-transaction cost x tx/s\n\n")
                .append("| workload | points | adopt (kept up) | pre-executor fixed (cores) | pre-executor µs/tx | primary fixed (cores) "
                        + "| primary µs per adopted tx | primary µs per tx it executes | µs/tx per peer |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        cal.values().forEach(c -> md.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.3f | %.1f | %.3f | %.1f | %.1f | %.2f |%n",
                c.workload(), c.points(), 100 * c.adoptRatio(), c.fPre(), 1e6 * c.cPre(), c.fPrimary(), 1e6 * c.cAdopt(),
                1e6 * c.cLocal(), 1e6 * c.cPerPeer())));
        md.append(String.format(Locale.ROOT, "%nValidation: the sweep's highest measured throughput per remora-k against the model"
                + " for k pre-executors sharing %s core(s) and a primary of %s core(s):%n%n", fmt(measuredPreCores),
                fmt(measuredPrimaryCores)))
                .append("| workload | k | measured tx/s | predicted tx/s | bound | error |\n|---|---:|---:|---:|---|---:|\n");
        cal.values().forEach(c -> measured.getOrDefault(c.workload(), Map.of()).forEach((k, m) -> {
            Prediction p = c.predictShared(k, measuredPreCores, measuredPrimaryCores, serialCeiling);
            // A sweep that carried every rate it offered did not find the ceiling: no error from it.
            md.append(String.format(Locale.ROOT, "| %s | %d | %s%.0f | %.0f | %s | %s |%n", c.workload(), k,
                    m.reached() ? "" : ">= ", m.throughput(), p.throughput(), p.bound(), m.reached()
                            ? String.format(Locale.ROOT, "%+.1f%%", 100 * (p.throughput() - m.throughput()) / m.throughput())
                            : "n/a: every rate carried, offer more"));
        }));
        md.append(String.format(Locale.ROOT, "%nPrediction: N pre-executors of %s cores each on separate machines, a primary of"
                + " %s cores, serial stages %s tx/s:%n%n| workload |", fmt(preCores), fmt(primaryCores), fmt(serialCeiling)));
        List<Integer> ns = new ArrayList<>();
        for (int n = 1; n <= max; n *= 2) {
            ns.add(n);
        }
        if (ns.get(ns.size() - 1) != max) {
            ns.add(max);
        }
        ns.forEach(n -> md.append(" N=").append(n).append(" |"));
        md.append("\n|---|").append("---:|".repeat(ns.size())).append('\n');
        for (Calibration c : cal.values()) {
            md.append("| ").append(c.workload()).append(" |");
            for (int n : ns) {
                Prediction p = c.predict(n, preCores, primaryCores, serialCeiling);
                md.append(String.format(Locale.ROOT, " %.0f%s |", p.throughput(), shortBound(p.bound())));
            }
            md.append('\n');
        }
        md.append("\n(bound: a = the primary's CPU while it adopts everything; p = the pre-executors, the primary executing"
                + " the excess itself; s = the primary's serial stages)\n");
        System.out.print(md);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("scale-out.md"), md.toString());
            for (Calibration c : cal.values()) {
                Path f = out.resolve("scale-out-" + c.workload().replaceAll("[^a-zA-Z0-9.-]", "_") + ".png");
                BitmapEncoder.saveBitmap(chart(c, measured.getOrDefault(c.workload(), Map.of())), f.toString(),
                        BitmapEncoder.BitmapFormat.PNG);
                System.out.println("chart: " + f);
            }
        }
        return 0;
    }

    private XYChart chart(Calibration c, Map<Integer, ScaleOutModel.Ceiling> measured) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Scale-out model: " + c.workload())
                .xAxisTitle("pre-executors N").yAxisTitle("tx/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLogarithmic(true);
        double[] x = new double[max];
        double[] y = new double[max];
        double[] yShared = new double[max];
        for (int n = 1; n <= max; n++) {
            x[n - 1] = n;
            y[n - 1] = c.predict(n, preCores, primaryCores, serialCeiling).throughput();
            yShared[n - 1] = c.predictShared(n, measuredPreCores, measuredPrimaryCores, serialCeiling).throughput();
        }
        XYSeries s = chart.addSeries("predicted: N machines x " + fmt(preCores) + " cores, primary " + fmt(primaryCores)
                + " cores", x, y);
        s.setMarker(SeriesMarkers.NONE);
        int shown = Math.min(max, 8);
        XYSeries sh = chart.addSeries("predicted: N sharing " + fmt(measuredPreCores) + " core(s), primary "
                + fmt(measuredPrimaryCores) + " (this machine)", java.util.Arrays.copyOf(x, shown), java.util.Arrays.copyOf(yShared, shown));
        sh.setMarker(SeriesMarkers.NONE);
        if (!measured.isEmpty()) {
            XYSeries m = chart.addSeries("measured here (highest throughput of the sweep; a lower bound where it"
                    + " carried every rate)", measured.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                    measured.values().stream().mapToDouble(ScaleOutModel.Ceiling::throughput).toArray());
            m.setMarker(SeriesMarkers.DIAMOND);
            m.setLineStyle(SeriesLines.NONE);
        }
        return chart;
    }

    private static String shortBound(String bound) {
        return bound.startsWith("primary CPU") ? " a" : bound.startsWith("pre-executors") ? " p" : " s";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
