package io.remora.primary;

import io.remora.core.Digest;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.CodecException;
import io.remora.core.exec.ExecutionEngine;
import io.remora.core.exec.Precompiles;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.sched.Scheduling;
import io.remora.primary.internal.ClusterHook;
import io.remora.primary.internal.PrimaryRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The primary executor, embedded in a validator: merges pre-executed results in consensus order on
 * all cores, re-executes what it must, persists each commit atomically in RocksDB and publishes the
 * effects in commit order. See the package documentation for the thread pipeline.
 *
 * <pre>{@code
 * try (RemoraPrimary primary = RemoraPrimary.builder()
 *         .dataDirectory(Path.of("/var/lib/remora"))
 *         .transactionExecutor(BuiltinEngine.executor("primary"))
 *         .genesis(genesisObjects)
 *         .commitListener(effects -> host.publish(effects))
 *         .build()) {
 *     primary.start();
 *     long next = primary.lastExecutedCommit() + 1;   // replay from here after a restart
 *     preExecutors.onResult(primary::offerResult);     // any thread
 *     consensus.onCommit((index, txs) -> primary.submitCommit(index, txs));
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@link #builder()} ... {@link Builder#build()} (validates, opens nothing),
 * {@link #start()} (opens the store, recovers, starts the threads), {@link #close()} (drains the
 * commits already submitted, stops the threads, closes the store; idempotent). {@link #trustMode()},
 * {@link #metrics()}, {@link #leaseMetrics()}, {@link #addTimingListener} / {@link #removeTimingListener}
 * and {@link #quarantinedPeers()} (empty until {@code start()} loads the persisted ones) work at any
 * time; every other method (submitting commits, offering and expecting results, reads,
 * {@link #readmit}) requires a started, unclosed primary and throws IllegalStateException otherwise.
 *
 * <p>Thread-safety: {@link #submitCommit} is meant for the consensus thread (calls are
 * serialized); every other method may be called from any thread.
 */
public final class RemoraPrimary implements AutoCloseable {
    private final PrimaryRuntime runtime;

    private RemoraPrimary(Builder b) {
        TransactionExecutor executor = b.executor != null ? b.executor
                : new TransactionExecutor(b.engine, b.precompiles, b.nodeId);
        byte[] auditSecret = b.auditSecret;
        if (auditSecret == null) {
            auditSecret = new byte[16];
            new java.security.SecureRandom().nextBytes(auditSecret);
        }
        this.runtime = new PrimaryRuntime(new PrimaryRuntime.Config(b.dataDirectory, executor, b.workerThreads,
                b.resultWaitTimeout.toNanos(), b.resultTableCapacity, b.objectCacheSize, b.commitChunkSize,
                b.fsyncPolicy, b.commitListener, b.genesis == null ? null : List.copyOf(b.genesis), b.trustMode,
                b.crossCheckReplicas, b.auditRate, auditSecret, b.resultBytesPerPeer, b.resultBytesTotal, b.leasePolicy,
                b.scheduling, b.persistenceHook, b.memtableBytes,
                b.resultWaitMax == null ? b.resultWaitTimeout.toNanos() : b.resultWaitMax.toNanos()));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens (or creates) the store in the data directory, loads the genesis objects into an empty
     * store, recovers the last durable commit and starts the pipeline.
     *
     * @throws IllegalStateException if already started or closed, if the store cannot be opened, or
     *                               if the configured genesis differs from the one the store holds
     */
    public void start() {
        runtime.start();
    }

    /**
     * Submits consensus commit {@code commitIndex} without waiting for its execution.
     *
     * <ul>
     *   <li>The next commit ({@code lastExecutedCommit() + 1} after a start, then one more than the
     *       previous submission; commits start at 0): enqueued; its effects are delivered to the
     *       {@link CommitListener} and the returned future, in commit order, once durable. This
     *       call blocks only when 1024 commits are already queued (back-pressure).</li>
     *   <li>An index already submitted (for example after a restart): acknowledged idempotently
     *       with the same effects (read back from the store if durable; marked
     *       {@link CommitEffects.Timings#replayed()}); the listener is not called again.</li>
     *   <li>An index beyond the next one: {@link CommitGapException}.</li>
     * </ul>
     *
     * Any number of transactions is accepted (a consensus engine decides commit sizes): a commit
     * of more than {@link Builder#commitChunkSize} is persisted in several atomic batches, and after
     * a crash between two of them this index is {@code lastExecutedCommit() + 1} again and its
     * resubmission resumes after the durable part. A transaction digest executes at most once with
     * a valid signature: later copies get a {@code DUPLICATE} outcome (see
     * {@link io.remora.core.exec.TransactionExecutor#duplicate}).
     *
     * <p>Every argument is checked here; nothing accepted fails later for a reason known now. If a
     * stage of the primary has failed (e.g. the disk), the future fails with IllegalStateException
     * and the primary must be restarted.
     *
     * @throws CommitGapException if {@code commitIndex} skips commits
     * @throws CommitMismatchException if an already submitted commit is submitted with transactions
     *                                 that differ in any byte (signatures included)
     * @throws IllegalArgumentException if the index is negative, or the list or an element is null
     */
    public CompletableFuture<CommitEffects> submitCommit(long commitIndex, List<Transaction> transactions) {
        return runtime.submitCommit(commitIndex, transactions);
    }

    /**
     * Offers a pre-execution result the host vouches for itself (no source), before or after the
     * commit holding its transaction arrives. A stale or missing result costs a re-execution;
     * what a false one can do depends on the {@link TrustMode}.
     */
    public OfferOutcome offerResult(PreExecResult result) {
        return runtime.offerResult(checked(result));
    }

    /**
     * A result built in memory must be one the wire could carry: within every protocol limit
     * (checked by encoding it, the codec being the one definition of the limits) and with every
     * written object at the effects' lamport version. Otherwise it could fail later, when the
     * primary persists it: refused here instead, naming what is wrong.
     */
    private static PreExecResult checked(PreExecResult r) {
        Objects.requireNonNull(r, "result");
        try {
            io.remora.core.codec.MessageCodec.encode(r);
        } catch (IllegalArgumentException | CodecException e) {
            throw new IllegalArgumentException("result=" + r.transaction().toShortHex()
                    + " (expected: within the protocol limits: " + e.getMessage() + ")", e);
        }
        if (r.isFull()) {
            for (io.remora.core.Effects.Written w : r.effects().written()) {
                if (w.object().version() != r.effects().lamportVersion()) {
                    throw new IllegalArgumentException("result.effects.written.version=" + w.object().version()
                            + " (expected: the lamport version " + r.effects().lamportVersion() + ")");
                }
            }
        }
        return r;
    }

    /**
     * Offers a result that pre-executor {@code source} sent over the host's own transport (the
     * host authenticated it). The result is accepted only if the transaction was routed to that
     * source ({@link #expectResult}); quarantine and cross-checking work per source.
     */
    public OfferOutcome offerResult(PreExecResult result, String source) {
        return runtime.offerResult(checked(result), Checks.nodeId(source));
    }

    /**
     * Tells the primary that the host sent {@code transaction} to pre-executor {@code source}
     * (null: the host will offer the result itself): the commit holding it waits for that result,
     * at most {@link Builder#resultWaitTimeout} from the commit's arrival. Without this (and without
     * {@link RemoraCluster}, which does it for the transactions it routes), a missing result is not
     * awaited: nothing says it can come.
     */
    public void expectResult(Digest transaction, String source) {
        Objects.requireNonNull(transaction, "transaction");
        if (source == null) {
            runtime.expectResultFromHost(transaction);
        } else {
            runtime.expectResults(transaction, Checks.nodeId(source));
            runtime.peerConnected(source);
        }
    }

    /** The trust mode this primary runs in. */
    public TrustMode trustMode() {
        return runtime.trustMode();
    }

    /** The peers quarantined for a proven lie (persisted; they stay so until {@link #readmit}). */
    public List<QuarantinedPeer> quarantinedPeers() {
        return runtime.quarantinedPeers();
    }

    /**
     * Lifts the quarantine of {@code nodeId} (an operator's decision, e.g. after the machine was
     * rebuilt): it may connect again and its results are used. {@code ""} names the results the
     * host offered itself without a source.
     *
     * @return false if it was not quarantined
     */
    public boolean readmit(String nodeId) {
        return runtime.readmit(nodeId != null && nodeId.isEmpty() ? nodeId : Checks.nodeId(nodeId));
    }

    /**
     * Decodes and offers a result framed as a {@code PRE_EXEC_RESULT} message (see
     * {@link io.remora.core.codec.MessageCodec#encode(PreExecResult)}).
     *
     * @throws CodecException if the bytes do not decode (counted as
     *                        {@link PrimaryMetrics#resultsUndecodable()}; the primary goes on)
     */
    public OfferOutcome offerResult(byte[] encoded) {
        return runtime.offerResult(Objects.requireNonNull(encoded, "encoded"));
    }

    /**
     * The last commit whose effects are durable and published, or -1 if none. After a restart the
     * host resubmits from this index + 1.
     */
    public long lastExecutedCommit() {
        return runtime.lastExecutedCommit();
    }

    /**
     * The latest executed version of an object, or null if it does not exist. This may reflect
     * commits executed but not yet published (at most the ones in the pipeline).
     */
    public StoredObject readObject(ObjectId id) {
        return runtime.readObject(Objects.requireNonNull(id, "id"));
    }

    /** The state digest after {@link #lastExecutedCommit()} (the genesis digest before any commit). */
    public Digest stateDigest() {
        return runtime.stateDigest();
    }

    public PrimaryMetrics metrics() {
        return runtime.metrics();
    }

    /** The lease counters ({@link LeasePolicy}); all zero when leases are disabled. */
    public LeaseMetrics leaseMetrics() {
        return runtime.leaseMetrics();
    }

    /**
     * Adds a listener told each executed commit's timings (see {@link CommitTimingListener}); any
     * time, any thread, also before {@link #start()}. With none, the publication stage pays one
     * volatile read per commit.
     */
    public void addTimingListener(CommitTimingListener listener) {
        runtime.metricsCounters().addTimingListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addTimingListener}; false if it was not registered. */
    public boolean removeTimingListener(CommitTimingListener listener) {
        return runtime.metricsCounters().removeTimingListener(listener);
    }

    /**
     * For {@link RemoraCluster}: the primary as the cluster service sees it (results in, peers,
     * commit observation, state reads, lease routing), and nothing more.
     */
    ClusterHook clusterHook() {
        return runtime;
    }

    /** Tests only: the runtime behind this primary, for probes no host and no cluster needs. */
    PrimaryRuntime runtime() {
        return runtime;
    }

    /**
     * Waits for the commits already submitted to be published (at most 30 s), then stops every
     * thread and closes the store. Idempotent. Commits still pending after the wait fail with
     * IllegalStateException.
     */
    @Override
    public void close() {
        runtime.close();
    }

    /**
     * Configuration of a {@link RemoraPrimary}. Each setter checks its value at once
     * (IllegalArgumentException, {@code name=value (expected: ...)}); {@link #build()} checks that
     * the required ones were given.
     *
     * <p><b>Trust.</b> {@link #trustMode} says what the primary takes from pre-executors.
     * {@link TrustMode#TRUSTED} (default): an authenticated pre-executor's matching result is
     * adopted and its signature verdict and precompile outputs reused; a compromised pre-executor
     * <em>can corrupt state</em> in this mode until an audit ({@link #auditRate}, 1%) catches it
     * and quarantines it; what it got in before stays. {@link TrustMode#CROSS_CHECKED}: nothing is
     * taken unless {@link #crossCheckReplicas r} distinct pre-executors agree exactly, so one liar
     * cannot change state. In both modes the host must give each pre-executor its own node key
     * (never the cluster secret) and keep the links' frame protection on ({@code RemoraCluster}
     * encrypts them by default). The full model is in {@code docs/architecture.md}, "Trust model".
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private Path dataDirectory;
        private ExecutionEngine engine;
        private Precompiles precompiles;
        private TransactionExecutor executor;
        private int workerThreads = Runtime.getRuntime().availableProcessors();
        private Duration resultWaitTimeout = Duration.ofMillis(20);
        private Duration resultWaitMax;
        private static final int MAX_RESULT_TABLE_CAPACITY = 1 << 24;
        private static final int MAX_COMMIT_CHUNK_SIZE = 16_384;
        private int resultTableCapacity = 200_000;
        private int objectCacheSize = 100_000;
        private long memtableBytes = 64L << 20;
        private int commitChunkSize = MAX_COMMIT_CHUNK_SIZE;
        private FsyncPolicy fsyncPolicy = FsyncPolicy.EVERY_COMMIT;
        private String nodeId = "primary";
        private CommitListener commitListener;
        private Collection<StoredObject> genesis;
        private TrustMode trustMode = TrustMode.TRUSTED;
        private int crossCheckReplicas = 2;
        private double auditRate = 0.01;
        private byte[] auditSecret;
        private long resultBytesPerPeer = 64L << 20;
        private long resultBytesTotal = 512L << 20;
        private LeasePolicy leasePolicy = LeasePolicy.disabled();
        private Scheduling scheduling = Scheduling.system();
        private PrimaryRuntime.PersistenceHook persistenceHook;

        private Builder() {
        }

        /** Where RocksDB keeps the state (created if missing). Required. */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = Checks.require("dataDirectory", dir, "a directory path");
            return this;
        }

        /** The execution engine and its precompiles (or use {@link #transactionExecutor}). */
        public Builder executionEngine(ExecutionEngine engine, Precompiles precompiles) {
            this.engine = Checks.require("engine", engine, "an ExecutionEngine");
            this.precompiles = Checks.require("precompiles", precompiles, "a Precompiles registry");
            return this;
        }

        /**
         * Runs the built-in programs ({@code io.remora.core.engine.BuiltinEngine}: coins, counters,
         * compute, AMM, registry, key-value, hash, TPC-C) with their precompiles, the engine the demo,
         * the bench and the example validator use; replaces {@link #executionEngine}. Same as
         * {@code transactionExecutor(BuiltinEngine.executor(nodeId))} with this builder's node id.
         */
        public Builder builtinEngine() {
            this.engine = io.remora.core.engine.BuiltinEngine.instance();
            this.precompiles = io.remora.core.engine.BuiltinEngine.precompiles();
            return this;
        }

        /** A ready executor (e.g. {@code BuiltinEngine.executor(nodeId)}); replaces {@link #executionEngine}. */
        public Builder transactionExecutor(TransactionExecutor executor) {
            this.executor = Checks.require("transactionExecutor", executor, "a TransactionExecutor");
            return this;
        }

        /** Threads executing a commit in parallel (1..1024). Default: available processors. */
        public Builder workerThreads(int threads) {
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("workerThreads=" + threads + " (expected: 1..1024)");
            }
            this.workerThreads = threads;
            return this;
        }

        /**
         * How long a commit waits, from its arrival, for missing pre-execution results before
         * executing those transactions locally (0..1 h). Default: 20 ms.
         */
        public Builder resultWaitTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("resultWaitTimeout=" + timeout + " (expected: 0..PT1H)");
            }
            this.resultWaitTimeout = timeout;
            return this;
        }

        /**
         * Lets the result wait adapt to how late results come, between {@link #resultWaitTimeout} (the
         * least, and where it starts) and {@code max}: when results arrive after their transaction was
         * executed without them (counted as {@code resultsLate}) and a wait of at most {@code max}
         * would have caught them, the wait grows by the 90th percentile of their shortfall (once such
         * results are >= 1% of a commit); results that even {@code max} would have missed do not move
         * it (waiting does not help pre-executors that far behind; admission back-pressure bounds
         * their lag); otherwise it shrinks by 1/16 of its excess per commit. The current wait is
         * {@link PrimaryMetrics#resultWaitTargetNanos()}. Default: none (the wait is fixed at
         * {@link #resultWaitTimeout}). {@code max} must be within 0..1 h and not below the
         * {@code resultWaitTimeout} at {@link #build()}.
         */
        public Builder adaptiveResultWait(Duration max) {
            if (max == null || max.isNegative() || max.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("adaptiveResultWait=" + max + " (expected: 0..PT1H)");
            }
            this.resultWaitMax = max;
            return this;
        }

        /**
         * Results held for transactions not executed yet (1..16,777,216); a result still held when
         * this many newer ones were offered is dropped. Also the number of executed transactions
         * remembered to recognize late results. Costs 16 bytes per unit up front (two rings)
         * besides the results held. Default: 200,000.
         */
        public Builder resultTableCapacity(int capacity) {
            if (capacity < 1 || capacity > MAX_RESULT_TABLE_CAPACITY) {
                throw new IllegalArgumentException("resultTableCapacity=" + capacity + " (expected: 1.."
                        + MAX_RESULT_TABLE_CAPACITY + ")");
            }
            this.resultTableCapacity = capacity;
            return this;
        }

        /**
         * Bytes of pre-execution results one source may have held at once, and all sources together
         * (>= 1 MiB each; per peer <= total): past them a result is refused ({@code OVER_BUDGET}),
         * so no peer, whatever it sends, holds more than its budget of the heap. Results are
         * estimated by their encoded size; the Java objects cost a small multiple. Defaults: 64 MiB
         * per peer, 512 MiB in all.
         */
        public Builder resultBudgets(long bytesPerPeer, long bytesTotal) {
            if (bytesPerPeer < (1 << 20) || bytesTotal < (1 << 20) || bytesPerPeer > bytesTotal) {
                throw new IllegalArgumentException("resultBudgets=" + bytesPerPeer + "/" + bytesTotal
                        + " (expected: >= 1 MiB each, per peer <= total)");
            }
            this.resultBytesPerPeer = bytesPerPeer;
            this.resultBytesTotal = bytesTotal;
            return this;
        }

        /**
         * RocksDB's write buffer (memtable) size per column family (objects, effects, commits, meta),
         * in bytes; default 64 MiB (RocksDB's own default). Smaller bounds the store's memory at the
         * cost of more flushes and compactions (the primary's throughput benchmark uses 1 MiB to make
         * them happen inside its measurement); the store holds up to two memtables per column family.
         */
        public Builder memtableBytes(long bytes) {
            if (bytes < (1L << 20)) {
                throw new IllegalArgumentException("memtableBytes=" + bytes + " (expected: >= 1 MiB)");
            }
            this.memtableBytes = bytes;
            return this;
        }

        /** Durable objects cached in memory over RocksDB (>= 0; 0 disables). Default: 100,000. */
        public Builder objectCacheSize(int objects) {
            if (objects < 0) {
                throw new IllegalArgumentException("objectCacheSize=" + objects + " (expected: >= 0)");
            }
            this.objectCacheSize = objects;
            return this;
        }

        /**
         * Positions per persistence chunk (1..16,384). A commit of any size is accepted; one with
         * more transactions than this (or more than ~64 MiB of effects) is written as several
         * atomic write batches, and a crash between two of them resumes at the next when the host
         * resubmits the commit. Lower values bound the memory of one batch. Default: 16,384.
         */
        public Builder commitChunkSize(int positions) {
            if (positions < 1 || positions > MAX_COMMIT_CHUNK_SIZE) {
                throw new IllegalArgumentException("commitChunkSize=" + positions + " (expected: 1.."
                        + MAX_COMMIT_CHUNK_SIZE + ")");
            }
            this.commitChunkSize = positions;
            return this;
        }

        /** When commits are synced to disk. Default: {@link FsyncPolicy#EVERY_COMMIT}. */
        public Builder fsyncPolicy(FsyncPolicy policy) {
            this.fsyncPolicy = Checks.require("fsyncPolicy", policy, "EVERY_COMMIT or NEVER");
            return this;
        }

        /** This node's name, recorded as verifier in lookup tables (1..255 UTF-8 bytes). Default: "primary". */
        public Builder nodeId(String id) {
            this.nodeId = Checks.nodeId(id);
            return this;
        }

        /** Receives every commit's effects in commit order (optional; futures work too). */
        public Builder commitListener(CommitListener listener) {
            this.commitListener = Checks.require("commitListener", listener, "a CommitListener");
            return this;
        }

        /**
         * Objects loaded atomically into an empty data directory at {@link #start()}. On a data
         * directory that already holds state, they must be the same (same state digest) as the
         * ones it was created with.
         */
        public Builder genesis(Collection<StoredObject> objects) {
            StoredObject[] copy = Checks.require("genesis", objects, "a collection of objects").toArray(new StoredObject[0]);
            for (int i = 0; i < copy.length; i++) {
                if (copy[i] == null) {
                    throw new IllegalArgumentException("genesis[" + i + "]=null (expected: a StoredObject)");
                }
            }
            this.genesis = List.of(copy);
            return this;
        }

        /**
         * What the primary assumes about pre-executors (see {@link TrustMode} and the trust model in
         * {@code docs/architecture.md}). Default: {@link TrustMode#TRUSTED}, with audits on.
         */
        public Builder trustMode(TrustMode mode) {
            this.trustMode = Checks.require("trustMode", mode, "TRUSTED or CROSS_CHECKED");
            return this;
        }

        /**
         * {@link TrustMode#CROSS_CHECKED}: distinct pre-executors each transaction is sent to, all of
         * whose results must agree before anything is taken from them (2..16). With fewer
         * pre-executors connected, admission routes the transaction nowhere and the primary executes
         * it. Default: 2.
         */
        public Builder crossCheckReplicas(int r) {
            if (r < 2 || r > 16) {
                throw new IllegalArgumentException("crossCheckReplicas=" + r + " (expected: 2..16)");
            }
            this.crossCheckReplicas = r;
            return this;
        }

        /**
         * Share of the results the primary would rely on (adopt, or take a signature verdict or
         * precompile output from) that it re-executes in full first, to catch a lying pre-executor
         * (0..1; 0 disables audits, 1 checks everything). The sample is a keyed hash of the
         * transaction digest, unpredictable to pre-executors. At 0.01 a pre-executor lying on every
         * result is caught within 1,000 of them with probability 1 - 0.99^1000 > 99.99%.
         * Default: 0.01.
         */
        public Builder auditRate(double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("auditRate=" + rate + " (expected: 0..1)");
            }
            this.auditRate = rate;
            return this;
        }

        /**
         * The 16-byte key of the audit sample (keep it secret: who knows it can predict which
         * results are audited). Default: random at each {@link #build()}; set it only to replay a
         * run exactly.
         */
        public Builder auditSecret(byte[] key) {
            if (key == null || key.length != 16) {
                throw new IllegalArgumentException("auditSecret.length=" + (key == null ? "null" : key.length)
                        + " (expected: 16)");
            }
            this.auditSecret = key.clone();
            return this;
        }

        /**
         * When the primary, overwhelmed by re-executing a hot subset of the state, delegates that
         * subset to a pre-executor connected through {@link RemoraCluster} (see {@link LeasePolicy}).
         * Default: {@link LeasePolicy#disabled()}; {@link LeasePolicy#defaults()} turns leases on.
         * Leases are granted in {@link TrustMode#TRUSTED} only.
         */
        public Builder leasePolicy(LeasePolicy policy) {
            this.leasePolicy = Checks.require("leasePolicy", policy, "a LeasePolicy");
            return this;
        }

        /**
         * The clock of the result wait, leases and timings. Default {@link Scheduling#system()}; the
         * cluster simulator passes a virtual one. The primary's own threads (pipeline stages,
         * Block-STM workers) are real in either case: only {@link Scheduling#nanoTime()} is used.
         */
        public Builder scheduling(Scheduling s) {
            this.scheduling = Checks.require("scheduling", s, "a Scheduling");
            return this;
        }

        /** Test only (the cluster simulator): called at each persistence boundary; may throw to crash there. */
        Builder persistenceHook(PrimaryRuntime.PersistenceHook hook) {
            this.persistenceHook = hook;
            return this;
        }

        /** Checks the configuration and builds a primary (not started). */
        public RemoraPrimary build() {
            if (dataDirectory == null) {
                throw new IllegalArgumentException("dataDirectory=null (expected: a directory path)");
            }
            if (executor == null && engine == null) {
                throw new IllegalArgumentException(
                        "executionEngine=null (expected: executionEngine(...), builtinEngine() or transactionExecutor(...))");
            }
            if (executor != null && engine != null) {
                throw new IllegalArgumentException(
                        "executionEngine=" + engine + " (expected: not set together with transactionExecutor)");
            }
            if (resultWaitMax != null && resultWaitMax.compareTo(resultWaitTimeout) < 0) {
                throw new IllegalArgumentException("adaptiveResultWait=" + resultWaitMax
                        + " (expected: >= resultWaitTimeout=" + resultWaitTimeout + ")");
            }
            return new RemoraPrimary(this);
        }

    }
}
