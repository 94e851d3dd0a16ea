package io.remora.examples.ratis;

import io.remora.bench.harness.TempDirectory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code remora validators}: 3 validator processes on Apache Ratis (loopback), each embedding a
 * RemoraPrimary + RemoraCluster with its own pre-executor process(es); a seeded signed workload
 * submitted to all of them; optionally one SIGKILLed and restarted; a live view (per validator:
 * role, commit index, chain digest, tx/s, adopted share) and a summary. Exit status 0 only if every
 * digest chain equals the others' and the sequential reference's, every transaction executed once and
 * no divergence was reported; 1 otherwise; 2 on bad arguments.
 */
@Command(name = "validators", mixinStandardHelpOptions = true,
        header = "Runs 3 validators on Apache Ratis, each embedding Remora, and compares their digest chains.",
        description = {"Starts N validator JVMs on loopback (Raft by Apache Ratis; each with a RemoraPrimary on RocksDB",
                "and its own pre-executor processes), submits a seeded workload of signed transactions to all of them,",
                "optionally SIGKILLs one and restarts it on its data directory, then checks every per-commit digest",
                "chain against the others and against the sequential reference executor on the same commit order.",
                "Exit status: 0 if all agree, 1 if not (or the run failed), 2 on bad arguments."})
public final class ValidatorsCommand implements Callable<Integer> {
    @Option(names = "--validators", defaultValue = "3", description = "Validator processes (default: ${DEFAULT-VALUE}).")
    int validators;

    @Option(names = "--pre-executors", defaultValue = "1", description = "Pre-executor processes per validator (default: ${DEFAULT-VALUE}).")
    int preExecutors;

    @Option(names = "--rate", defaultValue = "300", description = "Offered load, tx/s over all validators (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationOption.class,
            description = "Load duration (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--workload", defaultValue = "mixed",
            description = "transfers, fib-N, hotfib-N, counters-THETA, registry, mixed, tpcc-W, ycsb-a-N or ycsb-b-N (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--seed", description = "Workload seed (default: random, printed).")
    Long seed;

    @Option(names = "--kill", defaultValue = "none", description = "Validator to SIGKILL mid-run, e.g. v2 (default: ${DEFAULT-VALUE}).")
    String kill;

    @Option(names = "--kill-at", defaultValue = "8s", converter = DurationOption.class,
            description = "When to kill it, after the load starts (default: ${DEFAULT-VALUE}).")
    Duration killAt;

    @Option(names = "--restart-after", defaultValue = "3s", converter = DurationOption.class,
            description = "When to restart it, after the kill (default: ${DEFAULT-VALUE}).")
    Duration restartAfter;

    @Option(names = "--duplicates", defaultValue = "0.02",
            description = "Share of transactions a client also sends to a second validator (default: ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--max-batch", defaultValue = "256", description = "Transactions per Raft entry at most (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--linger", defaultValue = "10ms", converter = DurationOption.class,
            description = "How long a Raft entry waits for more transactions (default: ${DEFAULT-VALUE}).")
    Duration linger;

    @Option(names = "--faulty", defaultValue = "none",
            description = "Fault injection: run this validator (e.g. v3) with a deliberately wrong engine; the others must"
                    + " report the divergence and the command exits 1 (default: ${DEFAULT-VALUE}).")
    String faulty;

    @Option(names = "--no-fsync", description = "Primaries do not sync RocksDB's WAL per commit.")
    boolean noFsync;

    @Option(names = "--data-dir", description = "Keep the validators' data and logs here (default: a temporary directory, deleted).")
    Path dataDir;

    @Option(names = "--metrics-port", defaultValue = "-1",
            description = "Serve each validator's Prometheus metrics: validator i (from 0) on 127.0.0.1:PORT+i/metrics (default: off).")
    int metricsPort;

    @Option(names = "--plain", description = "One line per second instead of a live table (also when CI=true or not a terminal).")
    boolean plain;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return new CommandLine(new ValidatorsCommand()).setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        }).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        require(validators >= 1 && validators <= 9, "--validators", validators, "1..9");
        require(preExecutors >= 0, "--pre-executors", preExecutors, ">= 0");
        require(rate > 0 && Double.isFinite(rate), "--rate", rate, "> 0");
        require(duplicates >= 0 && duplicates <= 1 && (validators > 1 || duplicates == 0), "--duplicates", duplicates,
                "0..1, 0 with one validator");
        int victim = -1;
        if (!kill.equals("none")) {
            victim = kill.startsWith("v") ? parseIndex(kill.substring(1)) - 1 : -2;
            require(victim >= 0 && victim < validators, "--kill", kill, "none or v1..v" + validators);
        }
        int wrong = -1;
        if (!faulty.equals("none")) {
            wrong = faulty.startsWith("v") ? parseIndex(faulty.substring(1)) - 1 : -2;
            require(wrong >= 0 && wrong < validators && wrong != victim, "--faulty", faulty,
                    "none or v1..v" + validators + ", not the one killed");
        }
        long s = seed != null ? seed : new Random().nextLong();
        ValidatorsRun.Options o = new ValidatorsRun.Options(s, workload, validators, preExecutors, rate, duration, victim,
                killAt, restartAfter, duplicates, !noFsync, maxBatch, linger, Duration.ofSeconds(120), wrong, metricsPort);
        out.printf(Locale.ROOT, "remora validators: %d validators on Apache Ratis (loopback), %d pre-executor(s) each, "
                        + "%s at %.0f tx/s for %s, seed %d%s%n", validators, preExecutors, workload, rate, duration, s,
                (victim < 0 ? "" : String.format(Locale.ROOT, "; SIGKILL v%d at %s, restart %s later", victim + 1, killAt,
                        restartAfter)) + (wrong < 0 ? "" : "; v" + (wrong + 1) + " runs a deliberately faulty engine"));
        LiveView view = new LiveView(out, !plain && interactive(), validators);
        ValidatorsRun.Report r;
        if (dataDir != null) {
            r = new ValidatorsRun(o, view).run(Files.createDirectories(dataDir));
        } else {
            try (TempDirectory tmp = new TempDirectory("remora-validators-")) {
                r = new ValidatorsRun(o, view).run(tmp.path());
            }
        }
        view.finish();
        printSummary(out, r, s);
        return r.ok() ? 0 : 1;
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static void printSummary(PrintStream out, ValidatorsRun.Report r, long seed) {
        out.println();
        out.println("| validator | head commit | chain head | replayed from its primary | recovered at start | executed | adopted | attestations compared | divergences |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (ValidatorsRun.ValidatorSummary v : r.validators()) {
            out.printf(Locale.ROOT, "| %s | %d | %s | %d | %d | %d | %.1f%% | %d | %d |%n", v.id(), v.head(), shortHex(v.chain()),
                    v.replayed(), v.recovered(), v.executed(), v.executed() <= 0 ? 0 : 100.0 * v.adopted() / v.executed(),
                    v.agreements(), v.divergences());
        }
        out.println();
        out.printf(Locale.ROOT, "%d transactions in %d commits (%d copies ordered twice: DUPLICATE); load %.1f s, %.0f tx/s offered;"
                        + " reference chain head %s; seed %d%n", r.transactions(), r.commits(), r.duplicatesOrdered(),
                r.loadSeconds(), r.committedPerSecond(), shortHex(r.referenceChain()), seed);
        if (r.ok()) {
            out.println("OK: every validator's digest chain equals the others' and the sequential reference executor's"
                    + " on the same commit order; every transaction executed exactly once.");
        } else {
            out.println("FAILED:");
            for (String f : r.failures()) {
                out.println("  " + f);
            }
        }
    }

    static String shortHex(String hex) {
        return hex == null || hex.length() < 12 ? String.valueOf(hex) : hex.substring(0, 12);
    }

    private static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + "=" + value + " (expected: " + expected + ")");
        }
    }

    private static boolean interactive() {
        if ("true".equalsIgnoreCase(System.getenv("CI")) || System.console() == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(System.console());
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** "500ms", "20s", "2m". */
    static final class DurationOption implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            String s = v.trim().toLowerCase(Locale.ROOT);
            try {
                if (s.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
                }
                if (s.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
                }
                if (s.endsWith("m")) {
                    return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new CommandLine.TypeConversionException("'" + v + "' (expected: a duration such as 500ms, 20s, 2m)");
        }
    }

    /**
     * The live view: on a terminal a table redrawn in place (one row per validator); otherwise one
     * line per second. Called from the run's thread only.
     */
    static final class LiveView implements ValidatorsRun.View {
        private final PrintStream out;
        private final boolean interactive;
        private final int rows;
        private final Map<String, long[]> last = new HashMap<>();
        private boolean drawn;

        LiveView(PrintStream out, boolean interactive, int rows) {
            this.out = out;
            this.interactive = interactive;
            this.rows = rows;
        }

        @Override
        public void tick(double t, List<Map<String, String>> statuses) {
            long now = System.nanoTime();
            StringBuilder b = new StringBuilder();
            String when = t < 0 ? "settling" : String.format(Locale.ROOT, "t=%4.0fs", t);
            if (interactive) {
                if (drawn) {
                    b.append("\u001b[").append(rows + 1).append('A');
                }
                b.append("\r").append(when).append("  validator  role       commit  chain         tx/s  adopted  pre  div\u001b[K\n");
            }
            for (int i = 0; i < statuses.size(); i++) {
                Map<String, String> s = statuses.get(i);
                String id = "v" + (i + 1);
                String row;
                if (s.isEmpty()) {
                    row = String.format(Locale.ROOT, "%-9s  %-9s", id, "DOWN");
                } else {
                    long tx = Long.parseLong(s.get("transactions"));
                    long adopted = Long.parseLong(s.get("adopted"));
                    long[] prev = last.put(id, new long[] {now, tx});
                    double rate = prev == null || now == prev[0] ? 0 : (tx - prev[1]) * 1e9 / (now - prev[0]);
                    row = String.format(Locale.ROOT, "%-9s  %-9s  %6s  %s  %5.0f  %6.1f%%  %3s  %3s", id, s.get("role"),
                            s.get("commit"), shortHex(s.get("chain")), Math.max(0, rate),
                            tx == 0 ? 0 : 100.0 * adopted / tx, s.get("preExecutorsSynced"), s.get("divergences"));
                }
                if (interactive) {
                    b.append("          ").append(row).append("\u001b[K\n");
                } else {
                    b.append(i == 0 ? when + " | " : " | ").append(row.replaceAll(" +", " "));
                }
            }
            out.println(interactive ? b.substring(0, b.length() - 1) : b.toString());
            out.flush();
            drawn = true;
        }

        @Override
        public void event(String what) {
            if (interactive && drawn) {
                out.print("\u001b[" + (rows + 1) + "A\r\u001b[J");
                drawn = false;
            }
            out.println("  " + what);
        }

        void finish() {
            out.flush();
        }
    }
}
