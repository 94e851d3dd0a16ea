package io.remora.bench.harness;

import io.remora.core.Digest;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.primary.CommitEffects;
import io.remora.primary.FsyncPolicy;
import io.remora.primary.PrimaryMetrics;
import io.remora.primary.RemoraPrimary;
import java.io.PrintStream;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Runs one measured point: an embedded primary (RocksDB in a temporary directory), optionally k
 * pre-executor processes behind a {@code RemoraCluster}, a simulated consensus, and an open-loop load
 * generator on the calling thread; then checks the final state digest against the sequential
 * reference executor replaying the committed order from the same genesis.
 *
 * <pre>
 *  caller thread (load)    remora-consensus             remora-execute/persist/publish (primary)
 *  pacer.awaitSlot(i) ──► Admission ──► SimulatedConsensus ──► submitCommit(k, txs) ──► future completes
 *                          └─(REMORA) RemoraCluster ──► pre-executor JVMs ──► offerResult        │
 *                                                                          onEffects(): histograms ◄┘
 * </pre>
 *
 * Latencies: commit→effects from {@code submitCommit} to the commit's future completing (once per
 * transaction); submit→effects from the transaction's <em>scheduled</em> submission time. Only
 * transactions scheduled after the warmup are recorded.
 *
 * <p>Not thread-safe: one run per instance.
 */
public final class BenchmarkRun {
    /** A snapshot for the live progress display. */
    public record Progress(double elapsedSeconds, double totalSeconds, long submitted, long published,
                           double throughput, double adoptRatio, double p50Ms, double p99Ms, boolean warmingUp) {
    }

    /** Receives a {@link Progress} about once a second, on a timer thread. */
    public interface ProgressListener {
        void onProgress(Progress p);
    }

    private static final long PROGRESS_PERIOD_MS = 1000;

    private final RunConfig cfg;
    private final List<StoredObject> genesis;
    private final List<Transaction> txs;
    private final ProgressListener progress;
    private final PrintStream log;

    private final Histogram commitHist = LatencySummary.newHistogram();
    private final Histogram submitHist = LatencySummary.newHistogram();
    private final Histogram intervalHist = LatencySummary.newHistogram();
    /** Commit→effects since the last timeline sample (the timeline's p99 column). */
    private final Histogram timelineHist = LatencySummary.newHistogram();
    private final List<long[]> publishLog = new ArrayList<>();
    private final List<List<Transaction>> committedOrder = new ArrayList<>();
    private long[] scheduled;
    /** The first measured transaction: unknown (MAX_VALUE) until the warm-up ends (generator thread writes). */
    private volatile int measureFrom = Integer.MAX_VALUE;
    private long published;
    private long publishedAtLastProgress;
    private Throwable effectsFailure;
    private volatile CompletableFuture<CommitEffects> lastCommit = CompletableFuture.completedFuture(null);
    private volatile long submitted;
    /** Transactions given up: still refused by admission when the retry window ended. */
    private long shed;
    /** Refusals so far (the timeline's refused_tps column is their rate). */
    private volatile long rejections;
    /** Transactions refused at their first offer after the warm-up. */
    private long refusedMeasured;
    /** A refused transaction is offered again after 20 ms, then 40, 80, ... up to 320 ms. */
    static final Duration RETRY_FIRST_BACKOFF = Duration.ofMillis(20);
    static final Duration RETRY_MAX_BACKOFF = Duration.ofMillis(320);
    /** How long after the last scheduled transaction refused ones are still retried. */
    static final Duration RETRY_WINDOW = Duration.ofSeconds(10);
    private String warmupNote = "";
    /** Where to write the point's per-second timeline (CSV, and a PNG beside it), or null. */
    private Path timelineCsv;
    private final List<double[]> timeline = new ArrayList<>();
    /** Where to write one row per measured commit (its timings), or null. */
    private Path commitLogCsv;
    /** Rows of the commit log: index, transactions, delivered (ns after the load started), the primary's timings, observed. */
    private final List<long[]> commitRows = new ArrayList<>();
    private long[] lastSample;
    /** Whether the warm-up may run past cfg.warmup() until throughput and the JIT settle (bench: yes; demo: no). */
    private boolean adaptiveWarmup;
    private volatile long loadStartNanos;
    /** The wall clock (ms since the epoch) at loadStartNanos, for matching the commit log with RocksDB's LOG and GC logs. */
    private volatile long loadStartEpochMillis;
    private volatile long measureStartNanos = Long.MAX_VALUE;
    private RemoraPrimary primary;
    private RunObserver observer = RunObserver.NONE;
    /** Pre-executors kept across points (null: this run starts and stops its own). */
    private WarmPreExecutors warm;
    /** When into the measured window to replace a pre-executor (null: never), and where its join curve goes. */
    private Duration replaceAt;
    private Path joinCurveCsv;
    /** A stepped load (the elastic run), or null: cfg.rate() throughout. */
    private List<OpenLoopPacer.Step> steps;

    /**
     * @param txs at least {@link RunConfig#transactionsNeeded()} transactions over {@code genesis}, in
     *            generation order
     */
    public BenchmarkRun(RunConfig cfg, List<StoredObject> genesis, List<Transaction> txs, ProgressListener progress,
                        PrintStream log) {
        if (txs.size() < cfg.transactionsNeeded()) {
            throw new IllegalArgumentException("txs=" + txs.size() + " (expected: >= " + cfg.transactionsNeeded() + ")");
        }
        this.cfg = cfg;
        this.genesis = genesis;
        this.txs = txs;
        this.progress = progress;
        this.log = log;
    }

    /** Tells {@code o} about the primary, the cluster and the pre-executor processes this run starts. */
    public BenchmarkRun observe(RunObserver o) {
        this.observer = java.util.Objects.requireNonNull(o, "observer");
        return this;
    }

    /**
     * REMORA mode without autoscaling: use {@code w}'s long-lived pre-executors (started by the first
     * run that uses them, with {@code w.count == preExecutors}) instead of starting fresh ones.
     */
    public BenchmarkRun warm(WarmPreExecutors w) {
        if (w != null && (cfg.mode() != Mode.REMORA || cfg.autoscale() || w.count != cfg.preExecutors())) {
            throw new IllegalArgumentException("warm pre-executors=" + w.count + " (expected: " + cfg.preExecutors()
                    + ", for a REMORA run without autoscaling)");
        }
        this.warm = w;
        if (w != null) {
            w.processes.heapFor(genesis.size(), txs.size()); // before the first point starts them (txs: the most any point of the sweep uses)
        }
        return this;
    }

    /**
     * Lets the warm-up run on past {@code cfg.warmup()} (up to {@code cfg.maxWarmup()}) until
     * throughput and the JIT settle ({@link WarmupGate}); off by default (the demo keeps its times).
     */
    public BenchmarkRun adaptiveWarmup(boolean on) {
        this.adaptiveWarmup = on;
        return this;
    }

    /**
     * Writes the point's timeline to {@code csv} (and {@code csv} with .png for .csv): every second,
     * offered and published tx/s, adopt ratio, transactions refused by admission, synced pre-executors (an
     * autoscaled point's elastic run).
     */
    public BenchmarkRun timeline(Path csv) {
        this.timelineCsv = csv;
        return this;
    }

    /**
     * Writes one row per measured commit to {@code csv}: its index, size, when it was delivered, and
     * where its time went on the primary (result wait, execution, persistence with the fsync,
     * commit→effects as the primary timed it, and as the harness saw it, and the wall-clock delivery
     * time in ms since the epoch, to match with RocksDB's LOG or a GC log). The tail of the
     * commit→effects distribution is made of whole commits; this says which stage made each.
     */
    public BenchmarkRun commitLog(Path csv) {
        this.commitLogCsv = csv;
        return this;
    }

    /**
     * Offers the load in steps (the elastic run): {@code cfg.warmup()} at the first step's rate, then
     * each step's rate for its duration; the measured window is all the steps, and the point's note
     * gives, per step, the pre-executors that joined (connected, synced, first adopted result) or
     * left ({@link ElasticProbe}). {@code cfg.rate()} must be at least every step's rate and
     * {@code cfg.duration()} at least their total (what was generated); no adaptive warm-up.
     */
    public BenchmarkRun steps(List<OpenLoopPacer.Step> s) {
        if (s.isEmpty() || s.stream().anyMatch(x -> x.rate() > cfg.rate())
                || OpenLoopPacer.Step.total(s).compareTo(cfg.duration()) > 0) {
            throw new IllegalArgumentException("steps=" + s + " (expected: rates <= " + cfg.rate()
                    + " and durations adding up to <= " + cfg.duration() + ")");
        }
        this.steps = List.copyOf(s);
        return this;
    }

    /**
     * REMORA mode: SIGKILL one pre-executor {@code at} into the measured window and start a
     * replacement at once ({@link JoinProbe}); the join's figures go into the point's note and its
     * curve to {@code csv}. Needs pre-executors of the run's own ({@link #warm} not set).
     */
    public BenchmarkRun replaceAt(Duration at, Path csv) {
        if (cfg.mode() != Mode.REMORA || warm != null || at.isNegative() || at.compareTo(cfg.duration()) >= 0) {
            throw new IllegalArgumentException("replaceAt=" + at + " (expected: in REMORA mode without warm pre-executors,"
                    + " 0 <= at < the measured duration " + cfg.duration() + ")");
        }
        this.replaceAt = at;
        this.joinCurveCsv = csv;
        return this;
    }

    public PointResult run() throws Exception {
        String note = "";
        // Every point starts from a collected heap: the workload's pre-generated transactions
        // (~1 KB each, ~230 MB for 232,000) then sit in the old generation instead of being
        // copied by each young collection inside the measured window, and one point's garbage is
        // not collected in the next. Collections the run's own allocation needs still happen in
        // the window, and the point's note says how many (a harness artefact removed, not the
        // primary's cost: a validator does not hold its load generator's transactions).
        System.gc();
        try (TempDirectory tmp = new TempDirectory("remora-run-");
             PreExecutorProcesses children = processes()) {
            Duration wait = cfg.mode().clustered() ? cfg.resultWait() : Duration.ZERO; // no pre-executor: nothing to wait for
            primary = RemoraPrimary.builder()
                    .dataDirectory(tmp.path().resolve("primary"))
                    .transactionExecutor(BuiltinEngine.executor("primary"))
                    .workerThreads(cfg.mode() == Mode.SEQUENTIAL ? 1 : cfg.primaryThreads())
                    .resultWaitTimeout(wait)
                    .adaptiveResultWait(cfg.mode().clustered() && cfg.resultWaitMax() != null ? cfg.resultWaitMax() : wait)
                    .trustMode(cfg.trust())
                    .fsyncPolicy(cfg.fsync() ? FsyncPolicy.EVERY_COMMIT : FsyncPolicy.NEVER)
                    .leasePolicy(cfg.lease() ? io.remora.primary.LeasePolicy.defaults().withMaxObjects(cfg.leaseMaxObjects())
                            : io.remora.primary.LeasePolicy.disabled())
                    .genesis(genesis)
                    .build();
            try (RemoraPrimary p = primary) {
                p.start();
                observer.primaryStarted(p);
                long origin = System.nanoTime();
                SimulatedConsensus<Integer> consensus = new SimulatedConsensus<>(origin,
                        cfg.commitInterval().toNanos(), cfg.deliveryDelay().toNanos());
                PreExecutorProcesses kids = warm != null ? warm.processes : children;
                try (Admission admission = admission(consensus, children, tmp);
                     ConsensusRunner runner = new ConsensusRunner(consensus, this::deliver).start()) {
                    LoadOutcome load = drive(admission, kids);
                    note = load.note;
                    boolean drained = runner.finish(TimeUnit.SECONDS.toMillis(60));
                    boolean complete = drained && awaitLastCommit(Duration.ofSeconds(60));
                    if (commitLogCsv != null) {
                        writeCommitLog();
                    }
                    if (runner.failure() != null) {
                        throw new IllegalStateException("consensus delivery failed", runner.failure());
                    }
                    if (cfg.mode() == Mode.INJECTOR) {
                        for (PreExecutorProcesses.Child c : children.children()) {
                            log.println(PreExecutorProcesses.lastLines(c.log(), 1));
                        }
                        log.println("primary: " + primary.metrics());
                    }
                    String admissionState = admission.describe();
                    List<String> failures = kids.failures();
                    if (!failures.isEmpty()) {
                        note = join(note, "pre-executor failures: " + String.join("; ", failures));
                    }
                    if (!admissionState.isEmpty()) {
                        note = join(note, admissionState);
                    }
                    if (!complete) {
                        note = join(note, "effects did not drain within 60 s");
                    }
                    return result(load, complete, note);
                }
            }
        }
    }

    /** Pre-executor processes, or in INJECTOR mode injectors replaying results recorded now (untimed). */
    private PreExecutorProcesses processes() throws java.io.IOException {
        if (cfg.mode() != Mode.INJECTOR) {
            PreExecutorProcesses p = new PreExecutorProcesses(observer::preExecutorArgs);
            p.heapFor(genesis.size(), cfg.transactionsNeeded());
            return p;
        }
        return PreExecutorProcesses.injectors(InjectedResults.file(genesis, txs, cfg.transactionsNeeded(), log),
                cfg.frameProtection());
    }

    private Admission admission(SimulatedConsensus<Integer> consensus, PreExecutorProcesses children,
                                TempDirectory tmp) throws Exception {
        if (!cfg.mode().clustered()) {
            return (index, tx) -> {
                consensus.offer(index, System.nanoTime());
                return true;
            };
        }
        return ClusterAdmission.start(cfg, primary, consensus, txs, children, tmp.path().resolve("logs"), log, observer, warm);
    }

    private record LoadOutcome(long loadEnd, long cpuSelf0, long cpuSelf1, long[] cpuChildren0, long[] cpuChildren1,
                               PrimaryMetrics metrics0, boolean saturated, String note) {
    }

    private LoadOutcome drive(Admission admission, PreExecutorProcesses children) {
        int total = cfg.transactionsNeeded() - 1;
        scheduled = new long[total];
        List<PreExecutorProcesses.Child> kids = children.children();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        OpenLoopPacer pacer = steps == null ? new OpenLoopPacer(cfg.rate(), start) : OpenLoopPacer.steps(withWarmup(steps), start);
        // The warm-up lasts at least cfg.warmup() and ends once throughput and the JIT settle
        // (WarmupGate), at the latest after cfg.maxWarmup(); then cfg.duration() is measured. A
        // stepped load's warm-up is cfg.warmup(), and it measures all its steps.
        int minFrom = (int) Math.min(total, pacer.submissionsWithin(cfg.warmup().toNanos()));
        int maxFrom = adaptiveWarmup && steps == null
                ? (int) Math.min(total, pacer.submissionsWithin(cfg.maxWarmup().toNanos())) : minFrom;
        int measured = steps == null ? (int) pacer.submissionsWithin(cfg.duration().toNanos())
                : (int) (pacer.submissionsWithin(cfg.warmup().toNanos() + OpenLoopPacer.Step.total(steps).toNanos()) - minFrom);
        WarmupGate gate = new WarmupGate(cfg.rate());
        boolean gateSettled = false;
        long maxBacklog = Math.max(1000, (long) (cfg.rate() * cfg.maxBacklog().toNanos() / 1e9));
        loadStartNanos = start;
        loadStartEpochMillis = System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(start - System.nanoTime());
        long cpuSelf0 = CpuSampler.selfCpuNanos();
        long[] cpuKids0 = cpu(kids);
        PrimaryMetrics m0 = primary.metrics();
        GcSampler.Totals gc0 = GcSampler.totals();
        boolean saturated = false;
        String note = "";
        RetryingClient client = new RetryingClient(admission, txs, RETRY_FIRST_BACKOFF.toNanos(),
                RETRY_MAX_BACKOFF.toNanos());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "remora-progress");
            t.setDaemon(true);
            return t;
        });
        if (progress != null) {
            timer.scheduleAtFixedRate(this::reportProgress, PROGRESS_PERIOD_MS, PROGRESS_PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        if (timelineCsv != null) {
            timer.scheduleAtFixedRate(() -> sampleTimeline(admission, start), 0, PROGRESS_PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        JoinProbe probe = replaceAt == null ? null : new JoinProbe(primary, admission,
                () -> measureStartNanos == Long.MAX_VALUE ? Long.MAX_VALUE : measureStartNanos + replaceAt.toNanos()).start();
        ElasticProbe elastic = steps == null ? null : new ElasticProbe(admission::peers).start();
        try {
            for (int i = 0; i < total && (measureFrom == Integer.MAX_VALUE || i < measureFrom + measured); i++) {
                if (measureFrom == Integer.MAX_VALUE && maxFrom > minFrom && (i & 63) == 0 && !gateSettled) {
                    gateSettled = gate.settled(System.nanoTime(), publishedCount(), WarmupGate.jitMillis());
                }
                if (measureFrom == Integer.MAX_VALUE && i >= minFrom && (gateSettled || i >= maxFrom)) {
                    measureFrom = i;
                    warmupNote = minFrom == maxFrom ? "" : String.format(java.util.Locale.ROOT, "warm-up %.1f s (%s)",
                            (pacer.scheduledNanos(i) - start) / 1e9, gateSettled ? "throughput and JIT settled"
                                    : "did not settle: ended at --warmup x " + RunConfig.MAX_WARMUP_FACTOR);
                }
                if (i == measureFrom) {
                    measureStartNanos = pacer.scheduledNanos(i);
                    cpuSelf0 = CpuSampler.selfCpuNanos();
                    cpuKids0 = cpu(kids);
                    m0 = primary.metrics();
                    gc0 = GcSampler.totals();
                }
                client.retryDue(System.nanoTime());
                scheduled[i] = pacer.awaitSlot(i, System::nanoTime);
                long refusedBefore = client.rejections();
                client.offer(i, scheduled[i]);
                if (client.rejections() != refusedBefore && i >= measureFrom) {
                    refusedMeasured++;
                }
                rejections = client.rejections();
                submitted = i + 1;
                if ((i & 255) == 0 && i - client.outstanding() - publishedCount() > maxBacklog) {
                    saturated = true;
                    note = "saturated: more than " + cfg.maxBacklog().toSeconds() + " s of offered load unpublished after "
                            + String.format("%.1f", (System.nanoTime() - start) / 1e9) + " s; load stopped";
                    break;
                }
            }
            // Refused transactions are offered again until admitted or the retry window ends; those
            // still refused then never reach consensus (shed).
            long retryEnd = System.nanoTime() + RETRY_WINDOW.toNanos();
            while (!saturated && client.outstanding() > 0 && System.nanoTime() - retryEnd < 0) {
                long wait = Math.min(client.nextDueNanos(), retryEnd) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
                }
                client.retryDue(System.nanoTime());
                rejections = client.rejections();
            }
            shed = client.outstanding();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying refused transactions", e);
        } finally {
            timer.shutdownNow();
            if (probe != null) {
                probe.close();
            }
            if (elastic != null) {
                elastic.close();
            }
        }
        long loadEnd = System.nanoTime();
        if (elastic != null && measureStartNanos != Long.MAX_VALUE) {
            note = join(note, elastic.summary(stepStarts(measureStartNanos), steps.stream().mapToDouble(OpenLoopPacer.Step::rate)
                    .toArray()));
        }
        if (probe != null) {
            note = join(note, probe.summary());
            try {
                probe.write(joinCurveCsv);
            } catch (java.io.IOException e) {
                log.println("join curve: cannot write " + joinCurveCsv + ": " + e);
            }
        }
        if (timelineCsv != null) {
            writeTimeline();
        }
        if (measureStartNanos == Long.MAX_VALUE) {
            measureStartNanos = loadEnd;
        }
        if (measureFrom == Integer.MAX_VALUE) {
            measureFrom = (int) submitted; // stopped (saturated) during the warm-up: nothing measured
        }
        note = join(note, warmupNote);
        if (refusedMeasured > 0 || shed > 0) {
            long offered = Math.max(1, submitted - measureFrom);
            note = join(note, String.format(java.util.Locale.ROOT, "admission back-pressure (REJECTED_OVERLOADED) refused"
                    + " %d of %d measured transactions (%.1f%%) at first offer; %d refusals in all, %d admitted on a retry,"
                    + " %d given up (shed) after the %d-s retry window", refusedMeasured, offered,
                    100.0 * refusedMeasured / offered, client.rejections(), client.retriesAdmitted(), shed,
                    RETRY_WINDOW.toSeconds()));
        }
        GcSampler.Totals gc = GcSampler.totals().minus(gc0);
        if (gc.cycles() > 0) {
            // This JVM's collections inside the measured window: concurrent ones take CPU from the
            // primary's stages beside them, so a point's tail is read knowing whether one fell in it.
            note = join(note, String.format(java.util.Locale.ROOT, "bench JVM GC in the measured window: %d cycle%s, %.1f s",
                    gc.cycles(), gc.cycles() == 1 ? "" : "s", gc.millis() / 1e3));
        }
        return new LoadOutcome(loadEnd, cpuSelf0, CpuSampler.selfCpuNanos(), cpuKids0, cpu(kids), m0, saturated, note);
    }

    /** The stepped schedule with the warm-up in front, at the first step's rate. */
    private List<OpenLoopPacer.Step> withWarmup(List<OpenLoopPacer.Step> s) {
        List<OpenLoopPacer.Step> all = new ArrayList<>();
        if (cfg.warmup().toNanos() > 0) {
            all.add(new OpenLoopPacer.Step(s.get(0).rate(), cfg.warmup()));
        }
        all.addAll(s);
        return all;
    }

    private String describeSteps() {
        StringBuilder b = new StringBuilder();
        for (OpenLoopPacer.Step x : steps) {
            b.append(b.isEmpty() ? "" : " -> ").append(Math.round(x.rate())).append(" tx/s ").append(x.duration().toSeconds())
                    .append(" s");
        }
        return b.toString();
    }

    /** When each step began (System.nanoTime), from the measured window's start. */
    private long[] stepStarts(long measureStart) {
        long[] out = new long[steps.size()];
        long t = measureStart;
        for (int k = 0; k < out.length; k++) {
            out[k] = t;
            t += steps.get(k).duration().toNanos();
        }
        return out;
    }

    /** Consensus thread: hands commit {@code c} to the primary. */
    private void deliver(SimulatedConsensus.Commit<Integer> c) {
        List<Transaction> batch = new ArrayList<>(c.items().size());
        for (int i : c.items()) {
            batch.add(txs.get(i));
        }
        if (cfg.shuffle()) {
            java.util.Collections.shuffle(batch, new java.util.Random(cfg.seed() * 31 + c.index()));
        }
        synchronized (this) {
            committedOrder.add(batch);
        }
        long deliveredAt = System.nanoTime();
        CompletableFuture<CommitEffects> f = primary.submitCommit(c.index(), batch);
        // The stage after the callback, so that awaiting the last commit also awaits its recording.
        lastCommit = f.whenComplete((effects, error) -> onEffects(c, deliveredAt, effects, error));
    }

    /** Publication thread (or the consensus thread if already complete): records latencies. */
    private synchronized void onEffects(SimulatedConsensus.Commit<Integer> c, long deliveredAt, CommitEffects effects,
                                        Throwable error) {
        long now = System.nanoTime();
        if (error != null) {
            if (effectsFailure == null) {
                effectsFailure = error;
            }
            return;
        }
        int measured = 0;
        for (int i : c.items()) {
            if (i >= measureFrom) {
                measured++;
                LatencySummary.record(submitHist, now - scheduled[i], 1);
            }
        }
        if (measured > 0) {
            LatencySummary.record(commitHist, now - deliveredAt, measured);
            if (commitLogCsv != null && effects != null) {
                CommitEffects.Timings t = effects.timings();
                commitRows.add(new long[] {c.index(), c.items().size(), deliveredAt - loadStartNanos, t.resultWaitNanos(),
                        t.executionNanos(), t.persistenceNanos(), t.commitToEffectsNanos(), now - deliveredAt});
            }
        }
        LatencySummary.record(intervalHist, now - deliveredAt, c.items().size());
        if (timelineCsv != null) {
            LatencySummary.record(timelineHist, now - deliveredAt, c.items().size());
        }
        published += c.items().size();
        publishLog.add(new long[] {now, c.items().size()});
    }

    /** Timer thread: one timeline sample (deltas over the last period). */
    private void sampleTimeline(Admission admission, long start) {
        try {
            long now = System.nanoTime();
            PrimaryMetrics m = primary.metrics();
            long[] cur = {now, submitted, publishedCount(), m.adopted(), m.transactionsExecuted(), rejections};
            double p99;
            synchronized (this) {
                p99 = timelineHist.getTotalCount() == 0 ? Double.NaN : LatencySummary.of(timelineHist).p99Ms();
                timelineHist.reset();
            }
            if (lastSample != null) {
                double dt = Math.max(1, cur[0] - lastSample[0]) / 1e9;
                long executed = cur[4] - lastSample[4];
                synchronized (timeline) {
                    timeline.add(new double[] {(now - start) / 1e9, (cur[1] - lastSample[1]) / dt, (cur[2] - lastSample[2]) / dt,
                            executed == 0 ? Double.NaN : (double) (cur[3] - lastSample[3]) / executed,
                            (cur[5] - lastSample[5]) / dt, admission.syncedPreExecutors(), p99});
                }
            }
            lastSample = cur;
        } catch (RuntimeException e) {
            log.println("timeline: " + e); // cosmetic: the point goes on
        }
    }

    private void writeTimeline() {
        List<double[]> rows;
        synchronized (timeline) {
            rows = List.copyOf(timeline);
        }
        StringBuilder b = new StringBuilder(
                "seconds,submitted_tps,published_tps,adopt_ratio,refused_tps,synced_pre_executors,commit_to_effects_p99_ms\n");
        for (double[] r : rows) {
            b.append(String.format(java.util.Locale.ROOT, "%.1f,%.0f,%.0f,%.3f,%.0f,%.0f,%.1f%n", r[0], r[1], r[2], r[3], r[4], r[5],
                    r[6]));
        }
        try {
            java.nio.file.Files.createDirectories(timelineCsv.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(timelineCsv, b);
            Charts.timeline(rows, cfg.workload().name() + " " + cfg.configuration() + (steps == null
                    ? " at " + Math.round(cfg.rate()) + " tx/s" : " stepped " + describeSteps()),
                    java.nio.file.Path.of(timelineCsv.toString().replaceAll("\\.csv$", "") + ".png"));
        } catch (java.io.IOException e) {
            log.println("timeline: cannot write " + timelineCsv + ": " + e);
        }
    }

    private synchronized void writeCommitLog() {
        StringBuilder b = new StringBuilder("commit,transactions,delivered_s,wait_ms,execute_ms,persist_ms,"
                + "primary_commit_to_effects_ms,observed_commit_to_effects_ms,delivered_epoch_ms\n");
        for (long[] r : commitRows) {
            b.append(String.format(java.util.Locale.ROOT, "%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d%n", r[0], r[1], r[2] / 1e9,
                    r[3] / 1e6, r[4] / 1e6, r[5] / 1e6, r[6] / 1e6, r[7] / 1e6,
                    loadStartEpochMillis + TimeUnit.NANOSECONDS.toMillis(r[2])));
        }
        try {
            java.nio.file.Files.createDirectories(commitLogCsv.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(commitLogCsv, b);
        } catch (java.io.IOException e) {
            log.println("commit log: cannot write " + commitLogCsv + ": " + e);
        }
    }

    private synchronized long publishedCount() {
        return published;
    }

    private boolean awaitLastCommit(Duration timeout) throws InterruptedException {
        try {
            lastCommit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the primary failed a commit", e.getCause());
        }
    }

    private synchronized void reportProgress() {
        try {
            long now = System.nanoTime();
            double elapsed = (now - loadStartNanos) / 1e9;
            double total = (cfg.warmup().toNanos() + cfg.duration().toNanos()) / 1e9;
            PrimaryMetrics m = primary.metrics();
            double adopt = m.transactionsExecuted() == 0 ? 0 : (double) m.adopted() / m.transactionsExecuted();
            double tput = (published - publishedAtLastProgress) * 1000.0 / PROGRESS_PERIOD_MS;
            publishedAtLastProgress = published;
            LatencySummary s = LatencySummary.of(intervalHist);
            intervalHist.reset();
            progress.onProgress(new Progress(Math.max(0, elapsed), total, submitted, published, tput, adopt,
                    s.p50Ms(), s.p99Ms(), now < measureStartNanos));
        } catch (RuntimeException e) {
            // progress is cosmetic: never let it kill the timer silently with a half-drawn line
            log.println("progress: " + e);
        }
    }

    private PointResult result(LoadOutcome load, boolean complete, String note) {
        PrimaryMetrics m1 = primary.metrics();
        long adopted = m1.adopted() - load.metrics0.adopted();
        long executed = m1.transactionsExecuted() - load.metrics0.transactionsExecuted();
        long reexecuted = executed - adopted;
        long windowNanos = load.loadEnd - measureStartNanos;
        // A point that saturated during its warm-up has no measured window: no rates (NaN), not a
        // rate over one nanosecond.
        double window = windowNanos > 0 ? windowNanos / 1e9 : Double.NaN;
        List<Double> kidCpu = new ArrayList<>();
        for (int i = 0; i < load.cpuChildren0.length; i++) {
            long a = load.cpuChildren0[i];
            long b = load.cpuChildren1[i];
            kidCpu.add(a < 0 || b < 0 ? Double.NaN : (b - a) / 1e9 / window);
        }
        long inWindow;
        LatencySummary commit;
        LatencySummary submit;
        List<List<Transaction>> order;
        Throwable failure;
        synchronized (this) {
            inWindow = publishLog.stream().filter(e -> e[0] >= measureStartNanos && e[0] <= load.loadEnd)
                    .mapToLong(e -> e[1]).sum();
            commit = LatencySummary.of(commitHist);
            submit = LatencySummary.of(submitHist);
            order = List.copyOf(committedOrder);
            failure = effectsFailure;
        }
        if (failure != null) {
            note = join(note, "commit failed: " + failure);
        }
        String primaryDigest = primary.stateDigest().toHex();
        String reference = "";
        boolean digestMatch = false;
        if (complete && failure == null) {
            reference = referenceDigest(order).toHex();
            digestMatch = reference.equals(primaryDigest);
            if (!digestMatch) {
                note = join(note, "STATE DIGEST MISMATCH");
            }
        }
        return new PointResult(cfg.workload().name(), cfg.configuration(), cfg.preExecutors(), cfg.rate(),
                windowNanos > 0 ? inWindow / window : 0, order.stream().mapToLong(List::size).sum(), order.size(), commit, submit,
                executed == 0 ? 0 : (double) adopted / executed, adopted, reexecuted,
                load.cpuSelf0 < 0 ? Double.NaN : (load.cpuSelf1 - load.cpuSelf0) / 1e9 / window, kidCpu,
                load.saturated || !complete, digestMatch, primaryDigest, reference, breakdown(load.metrics0, m1), note);
    }

    private static PointResult.Breakdown breakdown(PrimaryMetrics a, PrimaryMetrics b) {
        return new PointResult.Breakdown(meanMs(a.resultWait(), b.resultWait()), meanMs(a.execution(), b.execution()),
                meanMs(a.persistence(), b.persistence()), b.reexecutedStale() - a.reexecutedStale(),
                b.reexecutedConflict() - a.reexecutedConflict(), b.reexecutedNoResult() - a.reexecutedNoResult());
    }

    private static double meanMs(io.remora.primary.TimingStats a, io.remora.primary.TimingStats b) {
        long n = b.count() - a.count();
        return n <= 0 ? Double.NaN : (b.totalNanos() - a.totalNanos()) / 1e6 / n;
    }

    /** The sequential reference executor's digest after the committed order, from the same genesis. */
    private Digest referenceDigest(List<List<Transaction>> order) {
        SequentialExecutor ref = new SequentialExecutor(BuiltinEngine.executor("reference"),
                new InMemoryObjectStore(genesis));
        for (List<Transaction> commit : order) {
            ref.executeAll(commit);
        }
        return ref.stateDigest();
    }

    private static long[] cpu(List<PreExecutorProcesses.Child> kids) {
        long[] out = new long[kids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = CpuSampler.processCpuNanos(kids.get(i).pid());
        }
        return out;
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }
}
