package io.remora.bench.cli;

import io.remora.bench.harness.BenchmarkRun;
import io.remora.bench.harness.LatencySummary;
import io.remora.bench.harness.Mode;
import io.remora.bench.harness.PointResult;
import io.remora.bench.harness.RunConfig;
import io.remora.bench.harness.WorkloadSpec;
import io.remora.core.workload.Workload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code remora demo}: an embedded primary, 2 pre-executor processes on loopback and a simulated
 * consensus, driven by the mixed workload; a live progress bar, a summary, and the state digest checked
 * against the sequential reference executor. Exit status 0 only if the digests are equal.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Runs the embedded demo and checks its state against the sequential reference.",
        description = {"Runs an embedded primary, pre-executors on loopback and a simulated consensus on a mixed",
                "workload, then checks the primary's state digest against the sequential reference executor.",
                "Exit status: 0 if the digests are equal, 1 if not (or the run failed), 2 on bad arguments."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "Load duration, warmup included (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "1000", description = "Offered load, tx/s (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--pre-executors", defaultValue = "2",
            description = "Pre-executor processes; 0 runs the primary alone (default: ${DEFAULT-VALUE}).")
    int preExecutors;

    @Option(names = "--workload", defaultValue = "mixed",
            description = "transfers, fib-N, hotfib-N, counters-THETA, registry, mixed, tpcc-W, ycsb-a-N or ycsb-b-N (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--autoscale", description = "Start with one pre-executor process and let the autoscaler run"
            + " 1..--pre-executors of them (scale up after 1 s of demand, down after 10 s of less).")
    boolean autoscale;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve the primary's metrics for Prometheus at http://127.0.0.1:PORT/metrics during the run"
                    + " (each pre-executor process n at PORT+n; 0: any free port, pre-executors not served).")
    Integer metricsPort;

    @Option(names = "--metrics-linger", defaultValue = "0s", converter = DurationConverter.class,
            description = "With --metrics-port: keep serving this long after the run (default: ${DEFAULT-VALUE}).")
    Duration metricsLinger;

    @Option(names = "--plain", description = "Periodic progress lines instead of a live bar (also when CI=true or not a terminal).")
    boolean plain;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        run.validate();
        RunOptions.require(rate > 0 && Double.isFinite(rate), "--rate", rate, "> 0 tx/s");
        RunOptions.require(duration.compareTo(Duration.ZERO) > 0, "--duration", duration, "> 0");
        RunOptions.require(preExecutors >= 0, "--pre-executors", preExecutors, ">= 0");
        RunOptions.require(metricsPort == null || (metricsPort >= 0 && metricsPort + Math.max(0, preExecutors) <= 65535),
                "--metrics-port", metricsPort, "0..65535, room for a port per pre-executor above it");
        RunOptions.require(!metricsLinger.isNegative(), "--metrics-linger", metricsLinger, ">= 0");
        Duration warmup = Duration.ofMillis(Math.min(3000, duration.toMillis() / 5));
        int threads = run.primaryThreads > 0 ? run.primaryThreads : Runtime.getRuntime().availableProcessors();
        Mode mode = preExecutors == 0 ? Mode.PRIMARY : Mode.REMORA;
        RunConfig cfg = new RunConfig(WorkloadSpec.parse(workload), mode, preExecutors, rate, warmup,
                duration.minus(warmup), run.commitInterval, run.deliveryDelay, threads, 0, run.resultWait, !run.noFsync,
                Duration.ofSeconds(10), run.seed, run.trust, run.frameProtection, autoscale && preExecutors > 0,
                run.leaseObjects(), run.shuffleCommits, run.preExecCpus, run.admissionBacklog, run.resultWaitMaxOrNull(),
                run.routingStickiness, run.sendLinger);
        out.printf(Locale.ROOT, "remora demo: %s at %.0f tx/s for %s; primary (%d threads, RocksDB in a temp dir, %s, links %s), %s;%n"
                        + "  simulated consensus: a commit every %d ms, delivered after %d ms%n",
                cfg.workload(), rate, human(duration), threads, run.trust, run.frameProtection,
                preExecutors == 0 ? "no pre-executors" : cfg.autoscale() ? "1.." + preExecutors
                        + " pre-executor processes on loopback (autoscaled)" : preExecutors + " pre-executor processes on loopback",
                run.commitInterval.toMillis(), run.deliveryDelay.toMillis());
        long t0 = System.nanoTime();
        Workload w = cfg.workload().generator(run.seed).take(cfg.transactionsNeeded());
        out.printf(Locale.ROOT, "  generated %d signed transactions over %d genesis objects in %.1f s%n",
                w.transactions().size(), w.genesis().size(), (System.nanoTime() - t0) / 1e9);
        DemoMetrics metrics = metricsPort == null ? null : new DemoMetrics(metricsPort, metricsLinger, out);
        try {
            ProgressBar bar = new ProgressBar(out, !plain && ProgressBar.detectInteractive(), 5);
            PointResult r;
            try {
                BenchmarkRun run = new BenchmarkRun(cfg, w.genesis(), w.transactions(), bar, out);
                r = (metrics == null ? run : run.observe(metrics)).run();
            } finally {
                bar.finish();
            }
            printSummary(out, r);
            return r.digestMatch() ? 0 : 1;
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    static void printSummary(PrintStream out, PointResult r) {
        LatencySummary c = r.commitToEffects();
        LatencySummary s = r.submitToEffects();
        out.println();
        out.println("| metric | value |");
        out.println("|---|---|");
        row(out, "configuration", r.configuration() + " on " + r.workload());
        row(out, "offered / measured throughput", String.format(Locale.ROOT, "%.0f / %.0f tx/s", r.offeredRate(), r.throughput()));
        row(out, "transactions / commits", r.transactions() + " / " + r.commits());
        row(out, "adopted pre-executions", String.format(Locale.ROOT, "%.1f%% (%d adopted, %d re-executed)",
                100 * r.adoptRatio(), r.adopted(), r.reexecuted()));
        row(out, "commit→effects p50 / p90 / p99 / max", String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.2f ms",
                c.p50Ms(), c.p90Ms(), c.p99Ms(), c.maxMs()));
        row(out, "submit→effects p50 / p90 / p99 / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms",
                s.p50Ms(), s.p90Ms(), s.p99Ms(), s.maxMs()));
        row(out, "CPU: primary JVM / pre-executors", String.format(Locale.ROOT, "%.2f / %s cores", r.cpuPrimary(),
                r.cpuPreExecutors().isEmpty() ? "–" : r.cpuPreExecutors().stream()
                        .map(v -> String.format(Locale.ROOT, "%.2f", v)).collect(java.util.stream.Collectors.joining(" + "))));
        PointResult.Breakdown b = r.breakdown();
        row(out, "primary per commit: result wait / execute / persist", String.format(Locale.ROOT,
                "%.2f / %.2f / %.2f ms (re-executed: %d stale, %d conflict, %d no result)",
                b.waitMs(), b.executeMs(), b.persistMs(), b.stale(), b.conflict(), b.noResult()));
        row(out, "primary state digest", r.primaryDigest());
        row(out, "sequential reference digest", r.referenceDigest().isEmpty() ? "(not computed)" : r.referenceDigest());
        if (!r.note().isEmpty()) {
            row(out, "notes", r.note());
        }
        out.println();
        out.println(r.digestMatch()
                ? "OK: the primary's state digest equals the sequential reference executor's on the same commit order."
                : "FAILED: the primary's state digest does not equal the sequential reference executor's.");
    }

    private static void row(PrintStream out, String k, String v) {
        out.println("| " + k + " | " + v + " |");
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
