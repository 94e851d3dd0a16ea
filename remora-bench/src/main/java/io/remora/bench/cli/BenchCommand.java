package io.remora.bench.cli;

import io.remora.bench.harness.BenchmarkRun;
import io.remora.bench.harness.Charts;
import io.remora.bench.harness.LatencySummary;
import io.remora.bench.harness.Mode;
import io.remora.bench.harness.OpenLoopPacer;
import io.remora.bench.harness.PointResult;
import io.remora.bench.harness.ResultWriter;
import io.remora.bench.harness.RunConfig;
import io.remora.bench.harness.WarmPreExecutors;
import io.remora.bench.harness.WorkloadSpec;
import io.remora.core.workload.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code remora bench}: open-loop sweeps over workloads, offered rates and configurations
 * (sequential, primary alone, Remora with k pre-executors), written to a results directory as CSV,
 * JSON, markdown and PNG charts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Runs latency/throughput sweeps against the baselines and writes tables and charts.",
        description = {"Open-loop latency/throughput sweeps: every workload x configuration x offered rate is one",
                "point (a fresh primary; pre-executor processes stay warm across a configuration's rates unless",
                "--fresh-preexecutors). Writes results.csv, results.json, results.md and",
                "PNG charts to --out. Exit status 0 if every point's state digest matched the reference."})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    RunOptions run = new RunOptions();

    static final String ALL_WORKLOADS = "transfers,fib-100k,fib-300k,fib-1m,counters-0,counters-0.9,counters-0.99,registry,"
            + "tpcc-1,tpcc-4,ycsb-a-10k,ycsb-b-10k";

    @Option(names = "--workloads", split = ",", defaultValue = "transfers,counters-0.9",
            description = {"Workloads (transfers, fib-N, hotfib-N, counters-THETA, registry, mixed, tpcc-W, ycsb-a-N, ycsb-b-N) or 'all' =",
                    ALL_WORKLOADS + " (default: ${DEFAULT-VALUE})."})
    List<String> workloads;

    @Option(names = "--configs", split = ",", defaultValue = "sequential,primary,remora-1,remora-2",
            description = {"Configurations: sequential, primary, remora-K, injector-K (default: ${DEFAULT-VALUE}).",
                    "injector-K: K processes replaying pre-recorded exact results in place of pre-executors, over the",
                    "same links: the primary's own end-to-end ceiling (recording them first costs an execution per transaction)."})
    List<String> configs;

    @Option(names = "--rates", split = ",", defaultValue = "1000,2000,3000",
            description = "Offered rates in tx/s (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "Measured load per point (default: ${DEFAULT-VALUE}: 300 commits at the default commit interval,"
                    + " the fewest a point needs to count as sustained).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class,
            description = "Unrecorded load before each measurement, at least; it goes on (up to 3x) until two 1-s"
                    + " intervals in a row publish within 10%% of the offered rate with under 5%% of the time compiling"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--preexec-threads", defaultValue = "0",
            description = "Worker threads per pre-executor; 0: its default (default: ${DEFAULT-VALUE}).")
    int preExecThreads;

    @Option(names = "--max-backlog", defaultValue = "3s", converter = DurationConverter.class,
            description = "A point stops (saturated) when this much offered load is unpublished (default: ${DEFAULT-VALUE}).")
    Duration maxBacklog;

    @Option(names = "--out", description = "Results directory (default: bench-results/<date-time>).")
    Path out;

    @Option(names = "--quick", description = "Smoke sweep: transfers and counters-0.9, primary and remora-2, rates 500 and 1500,"
            + " 2 s + 1 s warmup (too short for any point to count as sustained).")
    boolean quick;

    @Option(names = "--fresh-preexecutors", description = "Start new pre-executor processes for every point (the"
            + " default keeps them across the rates of a configuration, so that only its first point measures JVMs"
            + " that are still compiling).")
    boolean freshPreExecutors;

    @Option(names = "--autoscale", description = "remora-K runs start with one pre-executor process and let the"
            + " autoscaler (LocalProcessProvisioner) run 1..K of them; reported as remora-K-auto.")
    boolean autoscale;

    @Option(names = "--no-charts", description = "Skip the PNG charts.")
    boolean noCharts;

    @Option(names = "--warmup-pass", defaultValue = "0s", converter = DurationConverter.class,
            description = "Before a configuration's measured points, run each of its rates once for this long, unrecorded"
                    + " (its digest is still checked): this JVM's JIT and the warm pre-executors meet every rate's code"
                    + " paths first. Measured: the second point of a sweep ran 1.6x the primary's CPU of the same rate"
                    + " run again (a JIT transient, not a property of the rate). 0: none (default: ${DEFAULT-VALUE}).")
    Duration warmupPass;

    @Option(names = "--commit-log", description = "Also write commits-<point>.csv: one row per measured commit with its "
            + "size and where its time went on the primary (result wait, execution, persistence with the fsync, "
            + "commit->effects) and when it was delivered by the wall clock, to see which stage made the tail and "
            + "match it with RocksDB's LOG or a GC log.")
    boolean commitLog;

    @Option(names = "--replace-at", converter = DurationConverter.class,
            description = "remora-K points: this far into the measured window, SIGKILL one pre-executor and start a"
                    + " replacement at once; the point's note gives the join (connected, synced, first result, first"
                    + " adoption, adopt ratio recovered) and join-<point>.csv its curve every 100 ms. Implies"
                    + " --fresh-preexecutors.")
    Duration replaceAt;

    @Option(names = "--steps", description = "The elastic run: instead of --rates and --duration, one point per"
            + " workload and configuration whose offered load steps through RATE:DURATION,... (after --warmup at the"
            + " first step's rate), e.g. 500:10s,2000:20s,500:30s with --autoscale. Writes timeline-<point>.csv/.png"
            + " (per second: offered, published and refused tx/s, adopt ratio, synced pre-executors, commit->effects"
            + " p99); the note gives, per step, the pre-executors that joined (connected, synced, first adopted result,"
            + " from the step's start) or left.")
    String steps;

    @Option(names = "--preexec-warmup", defaultValue = "-1",
            description = "Start-up warm-up of each pre-executor process (PreExecutorMain --warmup: synthetic"
                    + " transactions before it reports SYNCED; 0: none); -1: its default (default: ${DEFAULT-VALUE}).")
    int preExecWarmup;

    @Option(names = "--preexec-lazy-join", description = "on or off: PreExecutorMain --lazy-join (a joining"
            + " pre-executor takes work before its snapshot, fetching objects on demand); default: its default (on).")
    String preExecLazyJoin;

    @Option(names = "--chaos", description = "Instead of a sweep, the chaos run (`remora chaos`, see its --help for"
            + " every option) with this --duration (default there: 60s), --seed and --out.")
    boolean chaos;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (chaos) {
            return chaos();
        }
        PrintStream log = System.out;
        run.validate();
        for (double r : rates) {
            RunOptions.require(r > 0 && Double.isFinite(r), "--rates", r, "each > 0 tx/s");
        }
        RunOptions.require(duration.compareTo(Duration.ZERO) > 0, "--duration", duration, "> 0");
        RunOptions.require(!warmup.isNegative(), "--warmup", warmup, ">= 0");
        RunOptions.require(preExecThreads >= 0, "--preexec-threads", preExecThreads, ">= 0");
        RunOptions.require(maxBacklog.compareTo(Duration.ZERO) > 0, "--max-backlog", maxBacklog, "> 0");
        RunOptions.require(preExecWarmup >= -1, "--preexec-warmup", preExecWarmup, ">= -1");
        RunOptions.require(preExecLazyJoin == null || preExecLazyJoin.equals("on") || preExecLazyJoin.equals("off"),
                "--preexec-lazy-join", preExecLazyJoin, "on or off");
        List<OpenLoopPacer.Step> stepped = null;
        if (steps != null) {
            stepped = OpenLoopPacer.Step.parse(steps);
            RunOptions.require(!quick, "--quick", quick, "not with --steps");
            rates = List.of(stepped.stream().mapToDouble(OpenLoopPacer.Step::rate).max().orElseThrow());
            duration = OpenLoopPacer.Step.total(stepped);
        }
        RunOptions.require(!warmupPass.isNegative(), "--warmup-pass", warmupPass, ">= 0");
        RunOptions.require(warmupPass.isZero() || (steps == null && replaceAt == null && !autoscale), "--warmup-pass",
                warmupPass, "0 with --steps, --replace-at or --autoscale");
        RunOptions.require(replaceAt == null || (!replaceAt.isNegative() && replaceAt.compareTo(duration) < 0),
                "--replace-at", replaceAt, "0 <= T < --duration");
        if (quick) {
            workloads = List.of("transfers", "counters-0.9");
            configs = List.of("primary", "remora-2");
            rates = List.of(500.0, 1500.0);
            duration = Duration.ofSeconds(2);
            warmup = Duration.ofSeconds(1);
        }
        if (workloads.size() == 1 && workloads.get(0).equals("all")) {
            workloads = List.of(ALL_WORKLOADS.split(","));
        }
        List<WorkloadSpec> specs = workloads.stream().map(WorkloadSpec::parse).toList();
        List<int[]> modes = new ArrayList<>();
        for (String c : configs) {
            modes.add(parseConfig(c));
        }
        if (out == null) {
            out = Path.of("bench-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        int threads = run.primaryThreads > 0 ? run.primaryThreads : Runtime.getRuntime().availableProcessors();
        Map<String, String> info = runInfo(threads);
        int total = specs.size() * modes.size() * rates.size();
        log.printf(Locale.ROOT, "remora bench: %d points (%d workloads x %d configurations x %d rates), %s + %s warmup each; results in %s%n",
                total, specs.size(), modes.size(), rates.size(), duration, warmup, out);
        long commitsPerPoint = duration.toNanos() / run.commitInterval.toNanos();
        if (commitsPerPoint < PointResult.MIN_COMMITS) {
            log.printf(Locale.ROOT, "note: %d commits per point (--duration / --commit-interval) < %d: no point can count as sustained%n",
                    commitsPerPoint, PointResult.MIN_COMMITS);
        }
        List<PointResult> results = new ArrayList<>();
        int warmupMismatches = 0;
        double maxRate = rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        int n = 0;
        for (WorkloadSpec spec : specs) {
            RunConfig base = new RunConfig(spec, Mode.PRIMARY, 0, maxRate, warmup, duration, run.commitInterval,
                    run.deliveryDelay, threads, preExecThreads, run.resultWait, !run.noFsync, maxBacklog, run.seed, run.trust, run.frameProtection,
                    false, run.leaseObjects(), run.shuffleCommits, run.preExecCpus, run.admissionBacklog, run.resultWaitMaxOrNull(),
                    run.routingStickiness, run.sendLinger);
            if (autoscale) {
                base = base.withMode(Mode.REMORA, 1).withAutoscale(true);
            }
            long t0 = System.nanoTime();
            Workload w = spec.generator(run.seed).take(base.transactionsNeeded());
            log.printf(Locale.ROOT, "%s: generated %d transactions in %.1f s%n", spec, w.transactions().size(),
                    (System.nanoTime() - t0) / 1e9);
            for (int[] m : modes) {
                // Pre-executors live across the rates of one configuration: every point but the
                // first measures warm JVMs (each point still has a fresh primary and cluster).
                boolean reuse = m[0] == Mode.REMORA.ordinal() && !freshPreExecutors && !autoscale && replaceAt == null;
                try (WarmPreExecutors warm = reuse ? new WarmPreExecutors(m[1], out.resolve("logs").resolve(
                        fileName(spec.name() + "-" + base.withMode(Mode.values()[m[0]], m[1]).configuration()))) : null) {
                    for (double rate : warmupPass.isZero() ? List.<Double>of() : rates) {
                        PointResult r = point(base.withMode(Mode.values()[m[0]], m[1]).withRate(rate).withDuration(warmupPass),
                                w, warm, log).run();
                        log.println("[warm-up pass] " + line(r));
                        if (r.digestMismatch()) {
                            warmupMismatches++;
                        }
                    }
                    for (double rate : rates) {
                        RunConfig cfg = base.withMode(Mode.values()[m[0]], m[1]).withRate(rate);
                        n++;
                        BenchmarkRun point = point(cfg, w, warm, log);
                        if (replaceAt != null && cfg.mode() == Mode.REMORA) {
                            point.replaceAt(replaceAt, out.resolve("join-" + pointName(spec, cfg, rate) + ".csv"));
                        }
                        if (stepped != null) {
                            point.steps(stepped);
                        }
                        if (commitLog) {
                            point.commitLog(out.resolve("commits-" + pointName(spec, cfg, rate) + ".csv"));
                        }
                        if (cfg.autoscale() || stepped != null) {
                            point.timeline(out.resolve("timeline-" + pointName(spec, cfg, rate) + (stepped != null
                                    ? "-steps" : "") + ".csv"));
                        }
                        PointResult r = point.run();
                        results.add(r);
                        log.println(String.format(Locale.ROOT, "[%d/%d] ", n, total) + line(r));
                        ResultWriter.writeAll(out, results, info);
                    }
                }
            }
        }
        if (!noCharts) {
            for (Path f : Charts.writeAll(out, results)) {
                log.println("chart: " + f);
            }
        }
        log.println();
        log.print(ResultWriter.maxThroughputTable(results));
        log.println();
        log.println("results: " + out.resolve("results.md") + ", results.csv, results.json");
        long mismatches = results.stream().filter(PointResult::digestMismatch).count();
        long unchecked = results.stream().filter(r -> r.referenceDigest().isEmpty()).count();
        log.printf("state digests: %d points equal to the sequential reference, %d different, %d not checked (did not drain)%s%n",
                results.size() - mismatches - unchecked, mismatches, unchecked,
                warmupPass.isZero() ? "" : "; warm-up pass: " + warmupMismatches + " different");
        return mismatches == 0 && warmupMismatches == 0 ? 0 : 1;
    }

    /** One point of the sweep on {@code w}, with the warm pre-executors if any and the adaptive warm-up. */
    private BenchmarkRun point(RunConfig cfg, Workload w, WarmPreExecutors warm, PrintStream log) {
        return new BenchmarkRun(cfg, w.genesis(), w.transactions(), null, log).warm(warm).adaptiveWarmup(true)
                .observe(preExecutorOptions());
    }

    /** A point's name in file names: workload, configuration and rate. */
    private static String pointName(WorkloadSpec spec, RunConfig cfg, double rate) {
        return fileName(spec.name() + "-" + cfg.configuration() + "-" + Math.round(rate));
    }

    /** {@code name} with every character a file name should not hold replaced by '_'. */
    private static String fileName(String name) {
        return name.replaceAll("[^a-zA-Z0-9.-]", "_");
    }

    /** The pre-executor processes' extra options ({@code --preexec-warmup}). */
    private io.remora.bench.harness.RunObserver preExecutorOptions() {
        List<String> extra = new ArrayList<>();
        if (preExecWarmup >= 0) {
            extra.addAll(List.of("--warmup", Integer.toString(preExecWarmup)));
        }
        if (preExecLazyJoin != null) {
            extra.addAll(List.of("--lazy-join", preExecLazyJoin));
        }
        return new io.remora.bench.harness.RunObserver() {
            @Override
            public List<String> preExecutorArgs(String nodeId, int n) {
                return extra;
            }
        };
    }

    /** {@code bench --chaos}: {@code chaos} with the options of this command that it shares. */
    private int chaos() throws Exception {
        List<String> args = new ArrayList<>();
        picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--duration")) {
            args.addAll(List.of("--duration", duration.toMillis() + "ms"));
        }
        if (parsed.hasMatchedOption("--seed")) {
            args.addAll(List.of("--seed", Long.toString(run.seed)));
        }
        if (out != null) {
            args.addAll(List.of("--out", out.toString()));
        }
        if (noCharts) {
            args.add("--no-charts");
        }
        ChaosCommand c = new ChaosCommand();
        new picocli.CommandLine(c).parseArgs(args.toArray(new String[0]));
        return c.call();
    }

    /** {@code sequential}, {@code primary}, {@code remora-K} or {@code injector-K} as {mode ordinal, k}. */
    static int[] parseConfig(String c) {
        String s = c.trim().toLowerCase(Locale.ROOT);
        if (s.equals("sequential")) {
            return new int[] {Mode.SEQUENTIAL.ordinal(), 0};
        }
        if (s.equals("primary") || s.equals("remora-0")) {
            return new int[] {Mode.PRIMARY.ordinal(), 0};
        }
        for (Mode m : new Mode[] {Mode.REMORA, Mode.INJECTOR}) {
            String prefix = m.label(0).substring(0, m.label(0).length() - 1);
            if (s.startsWith(prefix)) {
                try {
                    int k = Integer.parseInt(s.substring(prefix.length()));
                    if (k >= 1 && k <= 64) {
                        return new int[] {m.ordinal(), k};
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
        }
        throw new IllegalArgumentException("config=" + c
                + " (expected: sequential, primary, remora-K or injector-K with 1 <= K <= 64)");
    }

    static String line(PointResult r) {
        LatencySummary c = r.commitToEffects();
        return String.format(Locale.ROOT, "%-13s %-10s offered %5.0f -> %5.0f tx/s  commit->effects p50 %6.2f p99 %6.2f ms  "
                        + "adopt %5.1f%%  cpu %.2f%s%s%s",
                r.workload(), r.configuration(), r.offeredRate(), r.throughput(), c.p50Ms(), c.p99Ms(),
                100 * r.adoptRatio(), r.cpuPrimary(),
                r.cpuPreExecutors().isEmpty() ? "" : " + " + r.cpuPreExecutors().stream()
                        .map(v -> String.format(Locale.ROOT, "%.2f", v)).collect(java.util.stream.Collectors.joining(", ", "[", "]")),
                r.digestMatch() ? "  digest ok" : "  DIGEST " + (r.referenceDigest().isEmpty() ? "unchecked" : "MISMATCH"),
                r.note().isEmpty() ? "" : "  (" + r.note() + ")");
    }

    private Map<String, String> runInfo(int threads) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("date", LocalDateTime.now().toString());
        info.put("machine", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        info.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        info.put("load", "open loop, fixed offered rate; latency from the scheduled submission time (submit→effects) "
                + "and from the commit's delivery to the primary (commit→effects)");
        info.put("consensus", "simulated: a commit every " + run.commitInterval.toMillis() + " ms, delivered after "
                + run.deliveryDelay.toMillis() + " ms");
        info.put("per point", warmup.toMillis() + " ms warmup + " + duration.toMillis() + " ms measured; stop when "
                + maxBacklog.toMillis() + " ms of load is unpublished");
        info.put("primary", threads + " Block-STM threads (sequential: 1), result wait " + run.resultWait.toMillis()
                + (run.resultWaitMax.isZero() ? "" : ".." + run.resultWaitMax.toMillis() + " (adaptive)")
                + " ms, admission back-pressure " + (run.admissionBacklog.isZero() ? "off"
                        : "at " + run.admissionBacklog.toMillis() + " ms queued (refused transactions retried)")
                + ", fsync " + (run.noFsync ? "never" : "every commit"));
        return info;
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "unknown CPU";
    }
}
