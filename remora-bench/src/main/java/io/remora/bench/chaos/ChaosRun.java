package io.remora.bench.chaos;

import io.remora.bench.harness.PreExecutorProcesses;
import io.remora.bench.harness.TempDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The chaos run: the real primary ({@link PrimaryChild}: RocksDB with fsync per commit, a
 * {@code RemoraCluster} on a fixed loopback port) and real pre-executor JVMs
 * ({@link PreExecutorProcesses}), faults injected on a seeded schedule ({@link FaultSchedule}):
 * pre-executors SIGKILLed (and replaced) or SIGSTOPped (and SIGCONTed later, with stale state), the
 * primary SIGKILLed and restarted on its data directory.
 *
 * <p>This driver is the host's consensus: it holds the log ({@link ChaosWorkload}), admits each
 * commit's transactions a few commits ahead (so pre-executors pre-execute them) and submits the
 * commits at a fixed pace, at most {@value #WINDOW} unacknowledged. After a primary restart it
 * re-submits every commit up to the recovered {@code lastExecutedCommit()} whose effects it has not
 * received (they must come back replayed), and the recovered one itself (replayed again: the same
 * effects), then goes on from {@code lastExecutedCommit() + 1}.
 *
 * <p>Checked: every commit's effects equal the sequential reference's, position by position, with
 * the reference's state digest; a commit delivered twice carries the same content and is executed
 * (delivered not replayed) once; a restart recovers the reference's state after the recovered commit,
 * never below a delivered one; every ordered commit is delivered; the final state is the reference's.
 * Violations are collected in the {@link ChaosReport}, not thrown.
 *
 * <p>Every process started is stopped before {@link #run} returns (pre-executors through
 * {@link PreExecutorProcesses#close}, the primary by {@code finish} or SIGKILL), and dies with this JVM
 * otherwise (their standard input is a pipe from it); the data directory and logs live in a
 * {@link TempDirectory}, copied to {@code out/logs} only when the run failed. Not thread-safe: one
 * thread runs it.
 */
public final class ChaosRun {
    /** Unacknowledged commits at most (a pipelined consensus). */
    static final int WINDOW = 16;
    /** Transactions are admitted this many commit intervals before their commit is submitted. */
    static final int LOOKAHEAD_COMMITS = 4;
    /** How long the run may take to drain once consensus stopped. */
    static final long DRAIN_MILLIS = 60_000;
    /**
     * After its duration, consensus goes on ordering (at most this long) until the primary's
     * current incarnation has adopted a result: the run ends with pre-execution working again.
     */
    static final long SETTLE_MAX_MILLIS = 15_000;
    private static final long PROGRESS_MILLIS = 5_000;

    private final ChaosConfig cfg;
    private final PrintStream log;
    private final Random victims;
    private final BlockingQueue<PrimaryProcess.Line> lines = new LinkedBlockingQueue<>();
    private final Timeline timeline = new Timeline();
    private final List<Violation> violations = new ArrayList<>();
    private final Map<String, StoppedChild> stopped = new LinkedHashMap<>();
    private final Set<String> killed = new HashSet<>();

    private ChaosWorkload wl;
    private List<FaultSchedule.Fault> faults;
    private PreExecutorProcesses pres;
    private Path dataDir;
    private Path logDir;
    private int port;
    private String secretHex;
    private long startNanos;

    private PrimaryProcess primary;
    private int incarnation;
    private boolean ready;
    private long lastAdopted;
    private long lastExecuted;
    private int synced;
    private long readyAt;
    private int readyIncarnations;
    private final List<Long> adoptionResumed = new ArrayList<>();

    private String[] delivered;
    private int[] executions;
    private long maxDelivered = -1;
    private int deliveredCount;
    private final Set<Integer> outstanding = new HashSet<>();
    private int nextCommit;
    private int admitNext;
    private int fedHigh;
    private int end = -1;
    private long endAt;
    private int nextFault;
    private String finalLine;

    private int preKills;
    private int preStops;
    private int primaryKills;
    private int replayedDeliveries;
    private int recoveredUndelivered;
    private long adopted;
    private long executed;
    private long lastProgress;

    /** A SIGSTOPped pre-executor and the helper that SIGCONTs it (even if this JVM dies meanwhile). */
    private record StoppedChild(PreExecutorProcesses.Child child, Process helper) {
    }

    public ChaosRun(ChaosConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
        this.victims = new Random(cfg.seed() ^ 0x71c71bL);
    }

    /** Runs, checks, writes the timeline and summary to {@code cfg.out()}; returns the report. */
    public ChaosReport run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        wl = ChaosWorkload.generate(cfg.workload(), cfg.seed(),
                (int) ((cfg.duration().toMillis() + SETTLE_MAX_MILLIS) / cfg.commitInterval().toMillis()),
                cfg.meanCommitSize());
        delivered = new String[wl.commitCount()];
        executions = new int[wl.commitCount()];
        faults = FaultSchedule.generate(cfg.seed(), cfg.duration().toMillis(), cfg.preKills(), cfg.preStops(),
                cfg.primaryKills());
        log.printf(Locale.ROOT, "remora chaos: seed %d, %s workload: %d commits, %d transactions (%d copies), reference run in %.1f s;"
                        + " %d pre-executors; faults: %d pre-executor SIGKILLs, %d SIGSTOPs, %d primary SIGKILLs over %d s%n",
                cfg.seed(), cfg.workload(), wl.commitCount(), wl.positions(wl.commitCount()), wl.copies(wl.commitCount()),
                (System.nanoTime() - t0) / 1e9, cfg.preExecutors(), cfg.preKills(), cfg.preStops(), cfg.primaryKills(),
                cfg.duration().toSeconds());
        Files.createDirectories(cfg.out());
        try (TempDirectory tmp = new TempDirectory("remora-chaos-"); PreExecutorProcesses processes = new PreExecutorProcesses()) {
            pres = processes;
            dataDir = tmp.path().resolve("data");
            logDir = tmp.path().resolve("logs");
            Files.createDirectories(logDir);
            port = freeLoopbackPort();
            byte[] rnd = new byte[24];
            new SecureRandom().nextBytes(rnd);
            secretHex = HexFormat.of().formatHex(rnd);
            startNanos = System.nanoTime();
            try {
                startPrimary();
                pres.start(cfg.preExecutors(), "127.0.0.1", port, secret(), cfg.preExecThreads(), logDir);
                loop();
            } finally {
                continueStopped();
                if (primary != null) {
                    primary.close();
                }
            }
            if (!violations.isEmpty()) {
                keepLogs();
            }
        }
        return report();
    }

    private void loop() throws IOException, InterruptedException {
        long durationMs = cfg.duration().toMillis();
        while (true) {
            long now = millis();
            injectDue(now);
            pollStopped(now);
            PrimaryProcess.Line l = lines.poll(5, TimeUnit.MILLISECONDS);
            while (l != null) {
                handle(l);
                l = lines.poll();
            }
            if (violations.stream().anyMatch(v -> v.kind() == Violation.Kind.UNEXPECTED_EXIT)) {
                return;
            }
            if (end < 0 && now >= durationMs && ((ready && lastAdopted > 0) || now >= durationMs + SETTLE_MAX_MILLIS
                    || fedHigh >= wl.commitCount())) {
                end = fedHigh;
                endAt = now;
                log.printf(Locale.ROOT, "%n%.1f s: consensus stops at %d commits; draining%n", now / 1000.0, end);
            }
            if (ready) {
                feed(now);
            }
            progress(now);
            if (end >= 0 && nextFault >= faults.size() && stopped.isEmpty() && ready && nextCommit >= end
                    && outstanding.isEmpty()) { // everything ordered was submitted and acknowledged (or is missing)
                finish();
                return;
            }
            if (now > (end < 0 ? durationMs + SETTLE_MAX_MILLIS : endAt) + DRAIN_MILLIS) {
                violations.add(new Violation(Violation.Kind.TIMEOUT, -1, "not drained " + DRAIN_MILLIS
                        + " ms after the duration: " + deliveredCount + " of " + Math.max(end, fedHigh)
                        + " commits delivered, faults left " + (faults.size() - nextFault) + ", primary ready " + ready));
                return;
            }
        }
    }

    // ---- consensus: admission and commits ------------------------------------------------------

    private void feed(long now) {
        int limit = end >= 0 ? end : wl.commitCount();
        long interval = cfg.commitInterval().toMillis();
        while (admitNext < limit && admitNext * interval <= now + LOOKAHEAD_COMMITS * interval) {
            admit(admitNext++);
        }
        while (outstanding.size() < WINDOW && nextCommit < limit && nextCommit * interval <= now) {
            if (admitNext <= nextCommit) {
                admit(nextCommit);
                admitNext = nextCommit + 1;
            }
            submit(nextCommit++);
        }
        fedHigh = Math.max(fedHigh, nextCommit);
    }

    private void admit(int commit) {
        String enc = wl.encodedCommit(commit);
        if (!enc.equals("-")) {
            for (String tx : enc.split(",")) {
                primary.send("admit " + tx);
            }
        }
    }

    private void submit(int commit) {
        primary.send("commit " + commit + " " + wl.encodedCommit(commit));
        outstanding.add(commit);
    }

    // ---- the primary's reports -----------------------------------------------------------------

    private void handle(PrimaryProcess.Line l) throws IOException {
        long now = millis();
        boolean current = primary != null && l.incarnation() == primary.incarnation();
        if (l.line() == null) {
            if (current && finalLine == null) {
                violations.add(new Violation(Violation.Kind.UNEXPECTED_EXIT, -1, "primary incarnation " + l.incarnation()
                        + " exited by itself; its stderr: " + tail(logDir.resolve("primary.stderr"), 8)));
            }
            return;
        }
        String[] f = l.line().split(" ");
        switch (f[0]) {
            case "ready" -> {
                if (current) {
                    recovered(now, Long.parseLong(value(f[1])), value(f[2]));
                }
            }
            case "effects" -> effects(now, l.incarnation(), current, Integer.parseInt(f[1]), f[2].equals("1"), f[3], f[4]);
            case "metrics" -> {
                if (current) {
                    long a = Long.parseLong(value(f[1]));
                    long e = Long.parseLong(value(f[2]));
                    if (a > 0 && lastAdopted == 0 && ready) {
                        adoptionResumed.add(now - readyAt); // this incarnation's first adoption
                    }
                    timeline.executed(now, a - lastAdopted, e - lastExecuted);
                    adopted += a - lastAdopted;
                    executed += e - lastExecuted;
                    lastAdopted = a;
                    lastExecuted = e;
                    synced = Integer.parseInt(value(f[3]));
                }
            }
            case "error" -> violations.add(new Violation(Violation.Kind.PRIMARY_ERROR, Long.parseLong(f[1]),
                    l.line().substring(Math.min(l.line().length(), 7 + f[1].length()))));
            case "final" -> finalLine = l.line();
            default -> violations.add(new Violation(Violation.Kind.PRIMARY_ERROR, -1, "unexpected output: " + l.line()));
        }
    }

    private void recovered(long now, long last, String digest) {
        ready = true;
        readyAt = now;
        readyIncarnations++;
        timeline.event(now, "primary ready", describe(incarnation) + ", last " + last);
        if (!digest.equals(wl.digestAfter(last))) {
            violations.add(new Violation(Violation.Kind.RECOVERED_STATE_MISMATCH, last,
                    "recovered digest " + digest + ", reference " + wl.digestAfter(last)));
        }
        if (last < maxDelivered) {
            violations.add(new Violation(Violation.Kind.ACKNOWLEDGED_COMMIT_LOST, maxDelivered,
                    "recovered lastExecutedCommit() = " + last + " below delivered commit " + maxDelivered));
        }
        outstanding.clear();
        for (int k = 0; k <= last && k < fedHigh; k++) {
            if (delivered[k] == null || k == last) {
                submit(k); // durable: must come back replayed, with the effects it had
            }
        }
        nextCommit = (int) last + 1;
        admitNext = nextCommit;
    }

    private void effects(long now, int from, boolean current, int k, boolean replayed, String stateDigest, String list) {
        if (current) {
            outstanding.remove(k);
        }
        List<String> effects = list.equals("-") ? List.of() : List.of(list.split(","));
        String content = stateDigest + " " + list;
        if (replayed) {
            replayedDeliveries++;
        } else if (++executions[k] > 1) {
            violations.add(new Violation(Violation.Kind.EXECUTED_TWICE, k, "delivered not replayed " + executions[k]
                    + " times (last by incarnation " + from + ")"));
        }
        if (delivered[k] == null) {
            delivered[k] = content;
            deliveredCount++;
            maxDelivered = Math.max(maxDelivered, k);
            if (replayed) {
                recoveredUndelivered++;
            }
            timeline.delivered(now, effects.size());
            check(k, from, stateDigest, effects);
        } else if (!delivered[k].equals(content)) {
            violations.add(new Violation(Violation.Kind.DELIVERED_TWICE_DIFFERENT, k, (replayed ? "replayed" : "executed")
                    + " by incarnation " + from + " differs from the first delivery"));
        }
    }

    private void check(int k, int from, String stateDigest, List<String> effects) {
        if (!wl.matches(k, effects)) {
            List<String> ref = wl.expectedEffects(k);
            int i = 0;
            while (i < Math.min(ref.size(), effects.size()) && ref.get(i).equals(effects.get(i))) {
                i++;
            }
            violations.add(new Violation(Violation.Kind.EFFECTS_MISMATCH, k, "position " + i + " of " + ref.size()
                    + ": primary " + (i < effects.size() ? effects.get(i) : "(none)") + ", reference "
                    + (i < ref.size() ? ref.get(i) : "(none)") + " (primary gave " + effects.size() + " effects; "
                    + describe(from) + ")"));
        }
        if (!stateDigest.equals(wl.digestAfter(k))) {
            violations.add(new Violation(Violation.Kind.STATE_DIGEST_MISMATCH, k,
                    "primary " + stateDigest + ", reference " + wl.digestAfter(k) + " (" + describe(from) + ")"));
        }
    }

    private String describe(int incarnation) {
        return "incarnation " + incarnation + ": " + chunkSize(incarnation) + "-position chunks, " + workers(incarnation)
                + " workers";
    }

    private void finish() throws InterruptedException, IOException {
        primary.send("finish");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (finalLine == null && System.nanoTime() < deadline) {
            PrimaryProcess.Line l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null && l.line() != null) {
                handle(l);
            }
        }
        String expected = "final last=" + (end - 1) + " digest=" + wl.digestAfter(end - 1);
        if (!expected.equals(finalLine)) {
            violations.add(new Violation(Violation.Kind.FINAL_STATE_MISMATCH, end - 1,
                    "primary said " + finalLine + ", expected " + expected));
        }
        int exit = primary.awaitExit(30_000);
        if (exit != 0) {
            violations.add(new Violation(Violation.Kind.UNEXPECTED_EXIT, -1, "primary exited with " + exit + " after finish"));
        }
        for (int k = 0; k < end; k++) {
            if (delivered[k] == null) {
                violations.add(new Violation(Violation.Kind.MISSING, k, "no effects delivered"));
            }
        }
    }

    // ---- faults ------------------------------------------------------------------------------------

    private void injectDue(long now) throws IOException, InterruptedException {
        while (nextFault < faults.size() && faults.get(nextFault).atMillis() <= now) {
            FaultSchedule.Fault f = faults.get(nextFault);
            boolean done = switch (f.kind()) {
                case PRE_KILL -> killPreExecutor(now);
                case PRE_STOP -> stopPreExecutor(now, f.stopMillis());
                case PRIMARY_KILL -> killPrimary(now);
            };
            if (!done) {
                return; // no candidate right now (all stopped): retried on the next turn
            }
            nextFault++;
        }
    }

    private boolean killPreExecutor(long now) throws IOException, InterruptedException {
        PreExecutorProcesses.Child c = victim();
        if (c == null) {
            return false;
        }
        killed.add(c.nodeId());
        c.process().destroyForcibly(); // SIGKILL
        c.process().waitFor(10, TimeUnit.SECONDS);
        preKills++;
        timeline.event(now, "pre-executor SIGKILL", c.nodeId());
        pres.start(1, "127.0.0.1", port, secret(), cfg.preExecThreads(), logDir); // its replacement
        return true;
    }

    private boolean stopPreExecutor(long now, long stopMillis) throws IOException {
        PreExecutorProcesses.Child c = victim();
        if (c == null) {
            return false;
        }
        // The helper SIGCONTs it even if this JVM dies meanwhile: no pre-executor stays stopped for ever.
        String pid = Long.toString(c.pid());
        Process helper = new ProcessBuilder("sh", "-c", "kill -STOP " + pid + " && sleep "
                + String.format(Locale.ROOT, "%.3f", stopMillis / 1000.0) + "; kill -CONT " + pid)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        stopped.put(c.nodeId(), new StoppedChild(c, helper));
        preStops++;
        timeline.event(now, "pre-executor SIGSTOP", c.nodeId() + " for " + stopMillis + " ms");
        return true;
    }

    private void pollStopped(long now) {
        stopped.values().removeIf(s -> {
            if (s.helper().isAlive()) {
                return false;
            }
            timeline.event(now, "pre-executor SIGCONT", s.child().nodeId());
            return true;
        });
    }

    private PreExecutorProcesses.Child victim() {
        List<PreExecutorProcesses.Child> live = pres.children().stream()
                .filter(c -> c.process().isAlive() && !killed.contains(c.nodeId()) && !stopped.containsKey(c.nodeId()))
                .toList();
        return live.isEmpty() ? null : live.get(victims.nextInt(live.size()));
    }

    private boolean killPrimary(long now) throws IOException, InterruptedException {
        timeline.event(now, "primary SIGKILL", "incarnation " + incarnation + (ready ? "" : " (still starting)"));
        primary.kill();
        primaryKills++;
        startPrimary();
        return true;
    }

    private void startPrimary() throws IOException {
        incarnation++;
        ready = false;
        lastAdopted = 0;
        lastExecuted = 0;
        synced = 0;
        primary = PrimaryProcess.start(incarnation, dataDir, port, cfg.workload(), cfg.seed(), chunkSize(incarnation),
                workers(incarnation), secretHex, logDir.resolve("primary.stderr"), lines);
    }

    /** Positions per persistence batch of an incarnation: 1..8, so that kills land between a commit's batches too. */
    private int chunkSize(int incarnation) {
        return 1 + (int) Math.floorMod(cfg.seed() + incarnation, 8L);
    }

    /** Block-STM workers of an incarnation: 1 or 2. */
    private static int workers(int incarnation) {
        return 1 + incarnation % 2;
    }

    /** SIGCONTs what is still stopped (the run is ending) and ends the helpers. */
    private void continueStopped() throws InterruptedException {
        for (StoppedChild s : stopped.values()) {
            s.helper().destroyForcibly();
            s.helper().waitFor(5, TimeUnit.SECONDS);
            try {
                new ProcessBuilder("kill", "-CONT", Long.toString(s.child().pid())).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                s.child().process().destroyForcibly(); // cannot continue it: kill it, so it stops for good
            }
        }
        stopped.clear();
    }

    // ---- reporting ----------------------------------------------------------------------------

    private void progress(long now) {
        if (now - lastProgress < PROGRESS_MILLIS) {
            return;
        }
        lastProgress = now;
        long alive = pres.children().stream().filter(c -> c.process().isAlive() && !killed.contains(c.nodeId())).count();
        log.printf(Locale.ROOT, "%5.1f s  commits delivered %d/%d  adopt %4.1f%%  faults: pre-kill %d, pre-stop %d, "
                        + "primary-kill %d  primary %s, pre-executors %d (%d stopped, %d synced)  violations %d%n",
                now / 1000.0, deliveredCount, Math.max(fedHigh, 0), executed == 0 ? 0.0 : 100.0 * adopted / executed,
                preKills, preStops, primaryKills, ready ? "up" : "starting", alive, stopped.size(), synced,
                violations.size());
    }

    private ChaosReport report() throws IOException {
        int commits = Math.max(0, end);
        List<Path> files = new ArrayList<>();
        Path csv = cfg.out().resolve("timeline.csv");
        timeline.writeCsv(csv);
        files.add(csv);
        if (cfg.charts()) {
            Path png = cfg.out().resolve("timeline.png");
            timeline.writeChart(png, String.format(Locale.ROOT, "Chaos run (seed %d): %d pre-executor SIGKILLs, %d SIGSTOPs,"
                    + " %d primary SIGKILLs", cfg.seed(), preKills, preStops, primaryKills));
            files.add(png);
        }
        Path md = cfg.out().resolve("summary.md");
        files.add(md);
        ChaosReport r = new ChaosReport(cfg, commits, wl.positions(commits), wl.distinct(commits), wl.copies(commits),
                end < 0 ? millis() : endAt, preKills, preStops,
                primaryKills, incarnation, replayedDeliveries, recoveredUndelivered, adopted, executed,
                readyIncarnations, adoptionResumed,
                (System.nanoTime() - startNanos) / 1_000_000, violations, files);
        Files.writeString(md, r.markdown());
        return r;
    }

    private void keepLogs() {
        try {
            TempDirectory.copyFiles(logDir, cfg.out().resolve("logs"));
        } catch (IOException e) {
            log.println("could not keep the logs: " + e.getMessage());
        }
    }

    private long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private byte[] secret() {
        return secretHex.getBytes(StandardCharsets.US_ASCII);
    }

    private static String value(String field) {
        return field.substring(field.indexOf('=') + 1);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path file, int n) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join(" | ", all.subList(Math.max(0, all.size() - n), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
