package io.remora.bench;

import io.remora.core.Digest;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.codec.MessageCodec;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.workload.Workload;
import io.remora.primary.CommitEffects;
import io.remora.primary.FsyncPolicy;
import io.remora.primary.OfferOutcome;
import io.remora.primary.PrimaryMetrics;
import io.remora.primary.RemoraPrimary;
import io.remora.primary.TrustMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Primary throughput (issue 3, third benchmark bullet): transactions per second of a real
 * {@link RemoraPrimary} (Block-STM merge + RocksDB durability + in-order publication) on a
 * pre-recorded stream of commits, side by side with the sequential reference on the same stream.
 *
 * <p><b>Stream.</b> {@value #COMMITS} commits of {@value #COMMIT_SIZE} signed transactions,
 * generated once per fork ({@code stream}: {@code transfers} = {@code Workloads.transfers} with
 * 1,000 accounts, so no two transactions of a commit touch the same object; {@code counters} =
 * 100 shared counters, Zipf 0.99, heavy conflicts inside every commit), and for every transaction
 * its exact pre-execution result ({@code TransactionExecutor.preExecute} on exactly the state
 * before it, signature checked).
 *
 * <p><b>Valid share.</b> {@code validShare} percent of the transactions, spread evenly (50: every
 * other one), get their exact result; the rest get <b>no result</b> (missing) and the primary runs
 * with {@code resultWaitTimeout = 0}, so a missing result means immediate full local execution
 * (signature check included) rather than a wait: 0% is the primary as a plain parallel executor.
 *
 * <p><b>One invocation = the whole stream from genesis.</b> Owned-object streams run only once
 * from genesis, so every invocation gets a fresh primary in a fresh temporary data directory
 * (created, started, then closed and deleted in untimed {@code Level.Invocation} fixtures; an
 * invocation lasts 100s of ms, so their timestamps are negligible). The timed part: for each commit
 * in order, offer its results ({@code offerResult}) then {@code submitCommit}; finally wait for the
 * last commit's future (effects published in commit order, so every commit is durable). Results
 * are offered in their wire encoding ({@code offerResult(byte[])}, as a primary receives them from
 * pre-executors), so decoding and hashing them is part of the measured work. Scores are
 * per transaction ({@code @OperationsPerInvocation}), in tx/s.
 *
 * <ul>
 *   <li>{@code primary}: {@code workers} (1, 2) Block-STM threads, {@code fsync}
 *       ({@code EVERY_COMMIT}, {@code NEVER}), {@code validShare} (100, 50, 0), {@code trust}
 *       ({@code trusted}: 1% audits; {@code trusted-noaudit}; {@code cross-checked}: r = 2, each
 *       result offered by two sources).</li>
 *   <li>{@code sequential}: the baseline: {@code SequentialExecutor} (full execution with the
 *       signature check, one thread) over an {@code InMemoryObjectStore} copied from genesis in the
 *       untimed setup. <b>In memory, no persistence</b>: this favours the baseline, so the
 *       primary/sequential ratios are conservative.</li>
 * </ul>
 *
 * <p>After every primary invocation (untimed) the final state digest is checked against the
 * reference's (genesis plus every exact result's effects in order, i.e. sequential execution),
 * and at trial end one line summarizes the primary's metrics (adopted,
 * re-executions, mean result-wait / execution / persistence per commit).
 *
 * <pre>
 * java -jar remora-bench/target/benchmarks.jar \
 *      PrimaryThroughputBenchmark -p stream=transfers -f 1 -wi 2 -i 3 -rf json -rff primary.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class PrimaryThroughputBenchmark {
    /** Transactions per commit. */
    static final int COMMIT_SIZE = 1000;
    /** Commits in the pre-recorded stream (one invocation runs them all). */
    static final int COMMITS = 20;
    /** Transactions per invocation. */
    static final int STREAM = COMMITS * COMMIT_SIZE;

    /** The stream's workload (not named {@code workload}: jmh-smoke.sh sets that for other benchmarks). */
    @Param({"transfers", "counters"})
    public String stream;

    /**
     * Objects the store holds besides the workload's own before the stream starts: 0, or e.g.
     * 1,000,000 ({@code -p preload=1000000}) 100-byte records with random ids, which the stream
     * never touches, so the primary's RocksDB is a store of realistic size (several table files
     * per level, bloom filters, compactions) rather than a nearly empty one. With a preload, the
     * store is built once per trial (a template, untimed) and every invocation starts the primary
     * on a hard-linked copy of it (untimed), so it does not rewrite a million objects each time.
     */
    @Param({"0"})
    public int preload;

    /**
     * RocksDB memtable size per column family, MiB ({@code RemoraPrimary.Builder.memtableBytes}):
     * 64 (the default) holds a whole invocation's writes (~15 MB), so nothing flushes while it is
     * timed; 1 makes several flushes per invocation and L0 compactions happen inside the
     * measurement, as in a long run (each invocation starts from the template again).
     */
    @Param({"64"})
    public int memtableMiB;

    private TransactionExecutor executor;
    private List<List<Transaction>> commits;
    private PreExecResult[] exact;
    private InMemoryObjectStore genesis;
    private Digest expectedDigest;
    /** With {@link #preload}: the store built from genesis once per trial, copied for every invocation. */
    private Path template;

    @Setup(Level.Trial)
    public void generate() {
        executor = Fixtures.executor();
        Workload w = switch (stream) {
            case "transfers" -> Fixtures.workload("transfers", STREAM);
            case "counters" -> Fixtures.workload("counters", STREAM);
            default -> throw new IllegalArgumentException("stream=" + stream + " (expected: transfers, counters)");
        };
        genesis = w.genesisStore();
        if (preload > 0) {
            // Untouched records with random ids (the stream's exact results do not depend on them).
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(preload);
            byte[] value = new byte[100];
            for (int i = 0; i < preload; i++) {
                for (int j = 0; j < value.length; j += 8) {
                    long v = rnd.nextLong();
                    for (int k = 0; k < 8 && j + k < value.length; k++) {
                        value[j + k] = (byte) (v >>> (8 * k));
                    }
                }
                genesis.put(io.remora.core.engine.KvProgram.genesisRecord(
                        ObjectId.of(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()), value));
            }
        }
        exact = Fixtures.exactResults(w, executor);
        Fixtures.requireAllSucceed(w, exact);
        List<Transaction> txs = w.transactions();
        commits = new ArrayList<>(COMMITS);
        for (int c = 0; c < COMMITS; c++) {
            commits.add(List.copyOf(txs.subList(c * COMMIT_SIZE, (c + 1) * COMMIT_SIZE)));
        }
        // The exact results chain from genesis: applying them in order is sequential execution.
        InMemoryObjectStore reference = genesis.copy();
        for (PreExecResult r : exact) {
            reference.apply(r.effects());
        }
        expectedDigest = reference.stateDigest();
        if (preload > 0) {
            template = newDataDirectory("remora-primary-template");
            // Genesis is one write batch that stays in the write-ahead log (~200 MB for 1M objects)
            // until a reopen replays and flushes it into table files: reopen once, so that every
            // copy hard-links table files instead of copying and replaying the log.
            for (int open = 0; open < 2; open++) {
                RemoraPrimary.Builder t = RemoraPrimary.builder().dataDirectory(template).transactionExecutor(executor)
                        .memtableBytes(4L << 20);
                try (RemoraPrimary p = (open == 0 ? t.genesis(genesis.objects()) : t).build()) {
                    p.start();
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void dropTemplate() {
        if (template != null) {
            io.remora.bench.harness.TempDirectory.deleteRecursively(template);
        }
    }

    /** A fresh temporary directory (under {@code -Dremora.bench.dir} when set). */
    static Path newDataDirectory(String prefix) {
        try {
            String base = System.getProperty("remora.bench.dir");
            return base == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(Path.of(base), prefix);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A copy of the template store in a fresh directory: table files (immutable once written) are
     * hard-linked, everything else (manifest, write-ahead log, options) copied.
     */
    static Path copyStore(Path from) throws IOException {
        Path to = newDataDirectory("remora-primary-bench");
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path dest = to.resolve(f.getFileName());
                if (f.getFileName().toString().endsWith(".sst")) {
                    Files.createLink(dest, f);
                } else if (Files.isRegularFile(f) && !f.getFileName().toString().equals("LOCK")) {
                    Files.copy(f, dest);
                }
            }
        }
        return to;
    }

    /** RocksDB's event log ({@code LOG}) in {@code dir}: how many flushes and compactions have finished. */
    static long[] flushesAndCompactions(Path dir) {
        long flushes = 0;
        long compactions = 0;
        try (Stream<String> lines = Files.lines(dir.resolve("LOG"), java.nio.charset.StandardCharsets.ISO_8859_1)) {
            for (String l : (Iterable<String>) lines::iterator) {
                if (l.contains("\"event\": \"flush_finished\"")) {
                    flushes++;
                } else if (l.contains("\"event\": \"compaction_finished\"")) {
                    compactions++;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return new long[] {-1, -1};
        }
        return new long[] {flushes, compactions};
    }

    /** Whether transaction {@code i} of the stream gets its exact result: {@code share}% spread evenly. */
    static boolean valid(int i, int share) {
        return (long) (i + 1) * share / 100 > (long) i * share / 100;
    }

    /** A fresh primary per invocation, configured by the parameters; only {@link #primary} uses it. */
    @State(Scope.Benchmark)
    public static class Primary {
        @Param({"100", "50", "0"})
        public int validShare;

        @Param({"1", "2"})
        public int workers;

        @Param({"EVERY_COMMIT", "NEVER"})
        public FsyncPolicy fsync;

        /**
         * {@code trusted}: TRUSTED with the default 1% audit; {@code trusted-noaudit}: TRUSTED,
         * audits off (the figures before trust modes existed); {@code cross-checked}: CROSS_CHECKED
         * with r = 2: every result arrives twice, from two sources, decoded and compared.
         */
        @Param({"trusted", "trusted-noaudit", "cross-checked"})
        public String trust;

        /** The results offered, per commit, in wire encoding (null entries: missing). */
        byte[][][] offered;
        int offeredCount;

        RemoraPrimary primary;
        Path dir;

        // Summed over the measured and warmup invocations of the trial, printed at trial end.
        long invocations;
        long txs;
        long adopted;
        long stale;
        long conflict;
        long noResult;
        long audits;
        long waitNanos;
        /** Process CPU time (all threads: this benchmark thread offering results, and the primary's) over the invocations. */
        long cpuNanos;
        private long cpuAtStart;
        /** RocksDB flushes and compactions finished when the timed part started / over the timed parts. */
        private long[] eventsAtStart;
        long flushes;
        long compactions;
        /** Untimed per-invocation set-up (store copy or creation, start). */
        long setupNanos;
        long execNanos;
        long persistNanos;
        long commitsTimed;

        @Setup(Level.Trial)
        public void select(PrimaryThroughputBenchmark b) {
            offered = new byte[COMMITS][COMMIT_SIZE][];
            for (int i = 0; i < STREAM; i++) {
                if (valid(i, validShare)) {
                    offered[i / COMMIT_SIZE][i % COMMIT_SIZE] = MessageCodec.encode(b.exact[i]);
                    offeredCount++;
                }
            }
        }

        @Setup(Level.Invocation)
        public void start(PrimaryThroughputBenchmark b) throws IOException {
            long t0 = System.nanoTime();
            dir = b.template != null ? copyStore(b.template) : newDataDirectory("remora-primary-bench");
            RemoraPrimary.Builder builder = RemoraPrimary.builder()
                    .dataDirectory(dir)
                    .transactionExecutor(Fixtures.executor())
                    .workerThreads(workers)
                    .resultWaitTimeout(Duration.ZERO)
                    .fsyncPolicy(fsync)
                    .trustMode(trust.equals("cross-checked") ? TrustMode.CROSS_CHECKED : TrustMode.TRUSTED)
                    .auditRate(trust.equals("trusted-noaudit") ? 0 : 0.01)
                    .memtableBytes((long) b.memtableMiB << 20);
            if (b.template == null) {
                builder.genesis(b.genesis.objects()); // a copied template already holds it
            }
            primary = builder.build();
            primary.start();
            eventsAtStart = flushesAndCompactions(dir);
            setupNanos += System.nanoTime() - t0;
            cpuAtStart = processCpuNanos();
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        @TearDown(Level.Invocation)
        public void stop(PrimaryThroughputBenchmark b) {
            cpuNanos += processCpuNanos() - cpuAtStart;
            long[] events = flushesAndCompactions(dir); // finished by the last commit's durability
            flushes += events[0] - eventsAtStart[0];
            compactions += events[1] - eventsAtStart[1];
            try {
                Digest d = primary.stateDigest();
                if (primary.lastExecutedCommit() != COMMITS - 1 || !d.equals(b.expectedDigest)) {
                    throw new IllegalStateException("primary ended at commit " + primary.lastExecutedCommit()
                            + " with digest " + d.toHex() + " (expected: " + (COMMITS - 1) + ", "
                            + b.expectedDigest.toHex() + ")");
                }
                PrimaryMetrics m = primary.metrics();
                invocations++;
                txs += m.transactionsExecuted();
                adopted += m.adopted();
                stale += m.reexecutedStale();
                conflict += m.reexecutedConflict();
                noResult += m.reexecutedNoResult();
                audits += m.audits();
                waitNanos += m.resultWait().totalNanos();
                execNanos += m.execution().totalNanos();
                persistNanos += m.persistence().totalNanos();
                commitsTimed += m.execution().count();
            } finally {
                primary.close();
                io.remora.bench.harness.TempDirectory.deleteRecursively(dir);
            }
        }

        @TearDown(Level.Trial)
        public void report(PrimaryThroughputBenchmark b) {
            if (invocations == 0 || commitsTimed == 0) {
                return;
            }
            System.out.printf(Locale.ROOT, "%n[primary validShare=%d workers=%d fsync=%s trust=%s preload=%d memtable=%d MiB] %d invocations (untimed set-up %.0f ms each):"
                            + " RocksDB flushes %d / compactions %d finished during them; adopted %.1f%%,"
                            + " audited %d, re-executed stale %d / conflict %d / no-result %d; per commit (mean): submit-to-start (queue + result wait) %.2f ms,"
                            + " execution %.2f ms, persistence %.2f ms; process CPU %.2f us per transaction%n",
                    validShare, workers, fsync, trust, b.preload, b.memtableMiB, invocations, setupNanos / 1e6 / invocations, flushes, compactions, 100.0 * adopted / txs, audits, stale, conflict, noResult,
                    waitNanos / 1e6 / commitsTimed, execNanos / 1e6 / commitsTimed, persistNanos / 1e6 / commitsTimed,
                    cpuNanos / 1e3 / txs);
        }
    }

    @Benchmark
    @OperationsPerInvocation(STREAM)
    public CommitEffects primary(Primary p) {
        RemoraPrimary primary = p.primary;
        boolean crossChecked = p.trust.equals("cross-checked");
        CompletableFuture<CommitEffects> last = null;
        for (int c = 0; c < COMMITS; c++) {
            for (byte[] r : p.offered[c]) {
                if (r == null) {
                    continue;
                }
                if (crossChecked) {
                    // Two pre-executors were given the transaction (admission records that) and
                    // both answer: each answer is decoded; the primary compares them.
                    PreExecResult a = MessageCodec.decodePreExecResult(r);
                    primary.expectResult(a.transaction(), "pre-a");
                    primary.expectResult(a.transaction(), "pre-b");
                    if (primary.offerResult(a, "pre-a") != OfferOutcome.ACCEPTED
                            || primary.offerResult(MessageCodec.decodePreExecResult(r), "pre-b") != OfferOutcome.ACCEPTED) {
                        throw new IllegalStateException("result not accepted");
                    }
                } else if (primary.offerResult(r) != OfferOutcome.ACCEPTED) {
                    throw new IllegalStateException("result not accepted");
                }
            }
            last = primary.submitCommit(c, commits.get(c));
        }
        return last.join();
    }

    /** A fresh in-memory copy of genesis per invocation for {@link #sequential}. */
    @State(Scope.Benchmark)
    public static class Fresh {
        InMemoryObjectStore store;

        @Setup(Level.Invocation)
        public void copy(PrimaryThroughputBenchmark b) {
            store = b.genesis.copy();
        }
    }

    @Benchmark
    @OperationsPerInvocation(STREAM)
    public Digest sequential(Fresh f) {
        SequentialExecutor seq = new SequentialExecutor(executor, f.store);
        for (List<Transaction> commit : commits) {
            seq.executeAll(commit);
        }
        return seq.stateDigest();
    }
}
