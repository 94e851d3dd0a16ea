package io.remora.bench.cli;

import io.remora.bench.chaos.ChaosConfig;
import io.remora.bench.chaos.ChaosReport;
import io.remora.bench.chaos.ChaosRun;
import io.remora.bench.chaos.Violation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code remora chaos} (also {@code remora bench --chaos}): the real primary and real pre-executor
 * JVMs on loopback under a seeded schedule of SIGKILLs, SIGSTOPs and primary restarts, every
 * effect checked against the sequential reference (see {@link ChaosRun}). Exit status 0 only if
 * every invariant held.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Kills, stops and restarts real pre-executors and the real primary; checks every effect.",
        description = {"The primary (RocksDB, fsync per commit) runs in a child JVM on a fixed",
                "loopback port, with --preexecutors pre-executor JVMs. On a seeded schedule,",
                "pre-executors are SIGKILLed (and replaced) and SIGSTOPped (SIGCONT 0.2-4 s",
                "later), the primary is SIGKILLed and restarted on its data directory, and",
                "this process replays consensus from lastExecutedCommit() + 1. Every commit's",
                "effects and state digest are checked against the sequential reference:",
                "exactly once, nothing lost. Writes timeline.csv, timeline.png and summary.md",
                "to --out. Exit status 0 only if every invariant held."})
final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "Consensus orders commits for this long (then until pre-execution works again, at most"
                    + " 15 s more), then the run drains and checks (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--seed", description = "Seeds the workload, the order and the faults (default: random, printed).")
    Long seed;

    @Option(names = "--preexecutors", defaultValue = "2", description = "Pre-executor processes (default: ${DEFAULT-VALUE}).")
    int preExecutors;

    @Option(names = "--kills", description = "Faults of each kind (sets the three below; default: one of each per 3 s of --duration).")
    Integer kills;

    @Option(names = "--pre-kills", description = "Pre-executor SIGKILLs, each replaced at once.")
    Integer preKills;

    @Option(names = "--pre-stops", description = "Pre-executor SIGSTOPs, each SIGCONTed 0.2-4 s later.")
    Integer preStops;

    @Option(names = "--primary-kills", description = "Primary SIGKILLs, each restarted on its data directory.")
    Integer primaryKills;

    @Option(names = "--rate", defaultValue = "200", description = "Offered transactions per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--commit-interval", defaultValue = "50ms", converter = DurationConverter.class,
            description = "One consensus commit per interval (default: ${DEFAULT-VALUE}).")
    Duration commitInterval;

    @Option(names = "--workload", defaultValue = "mixed",
            description = "mixed (transfers, Zipf-0.99 counters, registry) or transfers (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--preexec-threads", defaultValue = "0", description = "Worker threads per pre-executor; 0: its default.")
    int preExecThreads;

    @Option(names = "--out", description = "Results directory (default: bench-results/chaos-<date-time>).")
    Path out;

    @Option(names = "--no-charts", description = "Skip the PNG timeline.")
    boolean noCharts;

    @Override
    public Integer call() throws Exception {
        return run(System.out);
    }

    int run(PrintStream log) throws Exception {
        validate();
        long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
        int perKind = kills != null ? kills : (int) Math.max(1, duration.toSeconds() / 3);
        if (out == null) {
            out = Path.of("bench-results", "chaos-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        ChaosConfig cfg = new ChaosConfig(workload, s, duration, preExecutors, or(preKills, perKind), or(preStops, perKind),
                or(primaryKills, perKind), rate, commitInterval, preExecThreads, out, !noCharts);
        ChaosReport r = new ChaosRun(cfg, log).run();
        log.println();
        log.print(r.markdown());
        log.println();
        log.println("files: " + r.files());
        for (Violation v : r.violations().stream().limit(20).toList()) {
            log.println("VIOLATION " + v);
        }
        log.printf(Locale.ROOT, "chaos: %s (seed %d)%n", r.passed() ? "every invariant held" : "FAILED", s);
        return r.passed() ? 0 : 1;
    }

    /** Names the bad option (exit status 2) before anything starts. */
    private void validate() {
        RunOptions.require(duration.toMillis() >= 2000, "--duration", duration, ">= 2s");
        RunOptions.require(preExecutors >= 1 && preExecutors <= 16, "--preexecutors", preExecutors, "1..16");
        RunOptions.require(rate > 0 && Double.isFinite(rate), "--rate", rate, "> 0 tx/s");
        RunOptions.require(commitInterval.toMillis() >= 5 && commitInterval.toMillis() <= 10_000, "--commit-interval",
                commitInterval, "5ms..10s");
        RunOptions.require(io.remora.bench.chaos.ChaosWorkload.KINDS.contains(workload), "--workload", workload,
                "one of " + io.remora.bench.chaos.ChaosWorkload.KINDS);
        RunOptions.require(preExecThreads >= 0, "--preexec-threads", preExecThreads, ">= 0");
        for (Integer n : new Integer[] {kills, preKills, preStops, primaryKills}) {
            RunOptions.require(n == null || n >= 0, "--kills/--pre-kills/--pre-stops/--primary-kills", n, ">= 0");
        }
    }

    private static int or(Integer v, int dflt) {
        return v != null ? v : dflt;
    }
}
