package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.MessageCodec;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.StateDigest;
import io.remora.primary.CommitEffects;
import io.remora.primary.CommitGapException;
import io.remora.primary.CommitListener;
import io.remora.primary.CommitMismatchException;
import io.remora.primary.FsyncPolicy;
import io.remora.primary.OfferOutcome;
import io.remora.primary.PrimaryMetrics;
import io.remora.primary.QuarantinedPeer;
import io.remora.primary.TrustMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What stands behind {@link io.remora.primary.RemoraPrimary}: lifecycle, commit submission
 * (ordering, gaps, idempotent re-submission) and ownership of the store, state, result table and
 * pipeline.
 *
 * <p>Ownership: creates and closes the {@link RocksStore} and the {@link CommitPipeline}.
 *
 * <p>The cluster service sees it only as a {@link ClusterHook}; the methods outside that interface
 * serve {@code RemoraPrimary} (and, marked so, tests).
 *
 * <p>Thread-safety: {@link #submitCommit}, {@link #start} and {@link #close} are serialized on
 * this object; the other methods may run on any thread.
 */
public final class PrimaryRuntime implements ClusterHook {
    private enum Lifecycle { NEW, RUNNING, CLOSED }

    private record InFlight(List<Transaction> transactions, CompletableFuture<CommitEffects> future) {
    }

    /**
     * The primary's settings, validated by {@link io.remora.primary.RemoraPrimary.Builder}.
     *
     * @param replicas cross-checked results needed ({@link TrustMode#CROSS_CHECKED}; 1 otherwise)
     * @param auditSecret 16 bytes keying the audit sample
     * @param memtableBytes RocksDB write buffer size per column family
     * @param resultWaitMaxNanos the longest the adaptive result wait may grow to ({@code resultWaitNanos}: fixed)
     */
    public record Config(Path dataDirectory, TransactionExecutor executor, int workerThreads, long resultWaitNanos,
                         int resultTableCapacity, int objectCacheSize, int chunkTransactions, FsyncPolicy fsyncPolicy,
                         CommitListener listener, List<StoredObject> genesis, TrustMode trustMode, int replicas,
                         double auditRate, byte[] auditSecret, long resultBytesPerSource, long resultBytesTotal,
                         io.remora.primary.LeasePolicy leasePolicy, io.remora.core.sched.Scheduling scheduling,
                         PersistenceHook persistenceHook, long memtableBytes, long resultWaitMaxNanos) {
    }

    /**
     * Test only (the cluster simulator): told at each persistence boundary of a commit; throwing
     * there fails the commit as a crash at that point would (the primary must then be restarted).
     * Null in production.
     */
    @FunctionalInterface
    public interface PersistenceHook {
        /** The boundaries: before a chunk's batch is written, after it, after the commit is durable. */
        enum Point { BEFORE_BATCH, AFTER_BATCH, AFTER_SYNC }

        void reached(Point point, long commitIndex, int chunk);
    }

    private static final System.Logger LOG = System.getLogger("io.remora.primary.quarantine");

    private final Config config;
    private final Path dataDirectory;
    private final FsyncPolicy fsyncPolicy;
    private final List<StoredObject> genesis;
    private final MetricsCounters metrics = new MetricsCounters();
    private final ConcurrentHashMap<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    private final List<CommitObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Consumer<String>> quarantineListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, QuarantinedPeer> quarantined = new ConcurrentHashMap<>();

    private volatile Lifecycle lifecycle = Lifecycle.NEW;
    private RocksStore store;
    private CommittedState state;
    private ResultTable results;
    private CommitPipeline pipeline;
    private LeaseManager lease;
    private long lastSubmitted;
    /** A commit durable only in part at start (a crash between two of its chunks), until resubmitted. */
    private RocksStore.PartialCommit resume;

    public PrimaryRuntime(Config config) {
        this.config = config;
        this.dataDirectory = config.dataDirectory();
        this.fsyncPolicy = config.fsyncPolicy();
        this.genesis = config.genesis();
    }

    /**
     * The simulator's probe of the result wait: how many times a commit started waiting for
     * results, and until when (the configured clock); {@link #wakeResultWaiters()} makes it read
     * the clock again. Test only.
     */
    public long resultWaitEntries() {
        return results.waitEntries();
    }

    /** See {@link #resultWaitEntries()}. */
    public long resultWaitingUntil() {
        return results.waitingUntil();
    }

    /** See {@link #resultWaitEntries()}. */
    public void wakeResultWaiters() {
        results.wakeWaiters();
    }

    /**
     * The result table's bounds as they stand: slots, results, bytes in all and the most bytes one
     * source holds (the simulator checks them against the configured capacity and budgets).
     */
    public long[] resultTableUsage() {
        return new long[] {results.slotCount(), results.held(), results.heldBytes(), results.maxSourceBytes()};
    }

    /** The trust mode (cluster admission routes to {@link #replicas()} peers in CROSS_CHECKED). */
    public TrustMode trustMode() {
        return config.trustMode();
    }

    /** Distinct pre-executors each transaction is sent to: r in CROSS_CHECKED, 1 in TRUSTED. */
    @Override
    public int replicas() {
        return config.trustMode() == TrustMode.CROSS_CHECKED ? config.replicas() : 1;
    }

    public synchronized void start() {
        if (lifecycle != Lifecycle.NEW) {
            throw new IllegalStateException("state=" + lifecycle + " (expected: NEW; a primary starts once)");
        }
        RocksStore s = new RocksStore(dataDirectory, fsyncPolicy, config.memtableBytes());
        try {
            loadGenesis(s);
            long last = s.lastCommit();
            if (io.remora.core.canary.Canary.RECOVERY_REPLAYS_LAST_COMMIT.active() && last >= 0) {
                last--; // planted bug (simulator self-test): the host's replay executes `last` again
            }
            Digest durable = s.stateDigest();
            if (durable == null) {
                durable = new StateDigest().digest();
            }
            RocksStore.PartialCommit partial = s.partialCommit();
            // The state digest published for `last`: after a crash between two chunks of the next
            // commit, the store's digest already includes the chunks written since.
            Digest published = durable;
            if (partial != null) {
                List<CommitRecord> lastRecord = last < 0 ? null : s.readCommit(last);
                Digest genesisDigest = s.genesisDigest();
                published = lastRecord != null ? lastRecord.get(lastRecord.size() - 1).stateDigest()
                        : genesisDigest != null ? genesisDigest : new StateDigest().digest();
            }
            this.store = s;
            this.state = new CommittedState(s, new ObjectCache(config.objectCacheSize()), durable);
            this.results = new ResultTable(config.resultTableCapacity(), config.trustMode(), replicas(),
                    config.resultBytesPerSource(), config.resultBytesTotal(), metrics, config.scheduling()::nanoTime);
            results.waitPolicy(new ResultWaitPolicy(config.resultWaitNanos(), config.resultWaitMaxNanos(), metrics));
            if (config.scheduling().isVirtual()) {
                results.wakeOnlyWhenAsked();
            }
            for (QuarantinedPeer q : s.readQuarantines()) {
                quarantined.put(q.nodeId(), q);
                results.quarantine(q.nodeId());
            }
            TrustPolicy trust = new TrustPolicy(config.trustMode(), new AuditSampler(config.auditSecret(), config.auditRate()),
                    this::lied, config.executor().nodeId());
            this.lease = new LeaseManager(config.leasePolicy(), config.trustMode() == TrustMode.TRUSTED, results, state,
                    config.scheduling()::nanoTime);
            this.pipeline = new CommitPipeline(config.executor(), config.workerThreads(), results, trust, state, s,
                    metrics, config.listener(), config.chunkTransactions(), config.scheduling()::nanoTime,
                    last, published, observers, lease, config.persistenceHook());
            this.lastSubmitted = last;
            this.resume = partial;
            lifecycle = Lifecycle.RUNNING;
        } catch (RuntimeException e) {
            s.close();
            lifecycle = Lifecycle.CLOSED;
            throw e;
        }
    }

    private void loadGenesis(RocksStore s) {
        if (genesis == null) {
            return;
        }
        StateDigest d = new StateDigest();
        genesis.forEach(d::add);
        Digest digest = d.digest();
        Digest stored = s.genesisDigest();
        if (stored == null) {
            if (s.lastCommit() >= 0 || s.stateDigest() != null) {
                throw new IllegalStateException("dataDirectory=" + dataDirectory
                        + " (expected: empty, or created with the configured genesis; it holds state without genesis)");
            }
            s.writeGenesis(genesis, digest);
        } else if (!stored.equals(digest)) {
            throw new IllegalStateException("genesis digest=" + digest.toHex()
                    + " (expected: " + stored.toHex() + ", the genesis " + dataDirectory + " was created with)");
        }
    }

    public synchronized CompletableFuture<CommitEffects> submitCommit(long index, List<Transaction> transactions) {
        checkRunning();
        if (index < 0) {
            throw new IllegalArgumentException("commitIndex=" + index + " (expected: >= 0)");
        }
        List<Transaction> txs = checkedCopy(transactions);
        long next = lastSubmitted + 1;
        if (index > next) {
            throw new CommitGapException(next, index);
        }
        if (index < next) {
            return resubmitted(index, txs);
        }
        Throwable fatal = pipeline.fatal();
        if (fatal != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("primary stopped after a failure: " + fatal, fatal));
        }
        RocksStore.PartialCommit partial = resume != null && resume.commit() == index ? resume : null;
        Effects[] recovered = null;
        if (partial != null) {
            List<CommitRecord> done = new ArrayList<>(partial.chunksDone());
            for (int c = 0; c < partial.chunksDone(); c++) {
                CommitRecord r = store.readCommitChunk(index, c);
                if (r == null) {
                    throw new IllegalStateException("chunk " + c + " of partly durable commit " + index + " missing from the store");
                }
                done.add(r);
            }
            requireSame(index, done, txs, false);
            recovered = effectsOf(done, partial.positionsDone());
        }
        CompletableFuture<CommitEffects> future = new CompletableFuture<>();
        inFlight.put(index, new InFlight(txs, future));
        future.whenComplete((r, t) -> inFlight.remove(index));
        lastSubmitted = index;
        resume = null;
        if (partial == null) {
            pipeline.enqueue(index, txs, future);
        } else {
            pipeline.enqueue(index, txs, future, partial.positionsDone(), partial.chunksDone(), recovered);
        }
        return future.copy();
    }

    /** An immutable copy, every element checked: a typed error at the call, never a failure later. */
    private static List<Transaction> checkedCopy(List<Transaction> transactions) {
        if (transactions == null) {
            throw new IllegalArgumentException("transactions=null (expected: a list of transactions, possibly empty)");
        }
        Transaction[] copy = transactions.toArray(new Transaction[0]);
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                throw new IllegalArgumentException("transactions[" + i + "]=null (expected: a Transaction)");
            }
        }
        return List.of(copy);
    }

    private CompletableFuture<CommitEffects> resubmitted(long index, List<Transaction> txs) {
        InFlight pending = inFlight.get(index);
        if (pending != null) {
            requireSame(index, pending.transactions(), txs);
            return pending.future().copy();
        }
        List<CommitRecord> records = store.readCommit(index);
        if (records == null) {
            Throwable fatal = pipeline.fatal();
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "commit " + index + " was submitted but is not durable (the primary stopped after a failure)", fatal));
        }
        requireSame(index, records, txs, true);
        List<Effects> effects = Arrays.asList(effectsOf(records, txs.size()));
        return CompletableFuture.completedFuture(new CommitEffects(index, effects,
                records.get(records.size() - 1).stateDigest(), CommitEffects.Timings.REPLAYED));
    }

    /** The effects of the first {@code positions} positions of the stored chunks {@code records}. */
    private Effects[] effectsOf(List<CommitRecord> records, int positions) {
        Effects[] out = new Effects[positions];
        for (CommitRecord r : records) {
            for (int i = 0; i < r.count(); i++) {
                Effects e = r.inline()[i];
                if (e == null) {
                    e = store.readEffects(r.transactions()[i]);
                    if (e == null) {
                        throw new IllegalStateException("effects of " + r.transactions()[i].toHex()
                                + " missing from the store");
                    }
                }
                out[r.firstPosition() + i] = e;
            }
        }
        return out;
    }

    /** In flight: the same transactions, compared byte for byte (digest and signature). */
    private static void requireSame(long index, List<Transaction> first, List<Transaction> txs) {
        if (first.size() != txs.size()) {
            throw new CommitMismatchException(index, -1, txs.size() + " transactions, first " + first.size());
        }
        for (int i = 0; i < txs.size(); i++) {
            if (!first.get(i).equals(txs.get(i))) {
                throw new CommitMismatchException(index, i, txs.get(i).digest().toHex()
                        + (first.get(i).digest().equals(txs.get(i).digest()) ? " with another signature" : ""));
            }
        }
    }

    /**
     * Durable: the same digests at the same positions and the same content digest per chunk
     * (which binds the signatures); {@code whole}: the same number of transactions too.
     */
    private static void requireSame(long index, List<CommitRecord> records, List<Transaction> txs, boolean whole) {
        if (whole) {
            int total = records.get(records.size() - 1).commitTransactions();
            if (total != txs.size()) {
                throw new CommitMismatchException(index, -1, txs.size() + " transactions, first " + total);
            }
        }
        for (CommitRecord r : records) {
            int first = r.firstPosition();
            if (first + r.count() > txs.size()) {
                throw new CommitMismatchException(index, -1, txs.size() + " transactions, first at least "
                        + (first + r.count()));
            }
            for (int i = 0; i < r.count(); i++) {
                if (!txs.get(first + i).digest().equals(r.transactions()[i])) {
                    throw new CommitMismatchException(index, first + i, txs.get(first + i).digest().toHex());
                }
            }
            if (!CommitRecord.content(txs, first, first + r.count()).equals(r.content())) {
                throw new CommitMismatchException(index, first, "a signature differing from the first submission in "
                        + "positions " + first + ".." + (first + r.count() - 1));
            }
        }
    }

    public OfferOutcome offerResult(PreExecResult result) {
        checkRunning();
        return results.offer(result);
    }

    /** Admission routed {@code tx} to {@code peers}: their results are accepted and awaited while they are connected. */
    public void expectResults(Digest tx, String... peers) {
        checkRunning();
        results.expect(tx, peers);
    }

    /** As {@link #expectResults(Digest, String...)}, knowing the transaction (its gas bounds an honest result's size). */
    @Override
    public void expectResults(Transaction tx, String... peers) {
        checkRunning();
        results.expect(tx.digest(), tx.gasBudget(), peers);
    }

    /** Bytes of results held from {@code source} (tests, metrics). */
    public long heldResultBytes(String source) {
        return results.heldBytes(source);
    }

    /** The host will offer a result for {@code tx} itself: the commit holding it waits for it. */
    public void expectResultFromHost(Digest tx) {
        checkRunning();
        results.expectFromHost(tx);
    }

    /** A pre-executor connected (results routed to it become worth waiting for). */
    @Override
    public void peerConnected(String peer) {
        checkRunning();
        results.peerConnected(peer);
    }

    /** A pre-executor disconnected: nothing routed to it is awaited any more. */
    @Override
    public void peerDisconnected(String peer) {
        if (lifecycle == Lifecycle.RUNNING) {
            results.peerDisconnected(peer);
            lease.peerGone(peer);
        }
    }

    /** The cluster's links for leases (null when the cluster stops: a lease held ends). */
    @Override
    public void leaseLinks(ClusterHook.LeaseLinks links) {
        checkRunning();
        lease.links(links);
    }

    /** Admission: whether a lease covers every object {@code tx} declares (see {@link LeaseManager#covers}). */
    @Override
    public boolean leaseCovers(Transaction tx) {
        LeaseManager l = lease;
        return l != null && l.covers(tx);
    }

    /** Admission: the current lease's delegate (null: none), kept free of speculative work. */
    @Override
    public String leaseDelegate() {
        LeaseManager l = lease;
        return l == null ? null : l.delegate();
    }

    public io.remora.primary.LeaseMetrics leaseMetrics() {
        LeaseManager l = lease;
        return l == null ? LeaseManager.NONE : l.metrics();
    }

    /** Called (on the execution stage) with the node id of every peer quarantined from now on. */
    @Override
    public void addQuarantineListener(Consumer<String> l) {
        quarantineListeners.add(java.util.Objects.requireNonNull(l, "listener"));
    }

    @Override
    public void removeQuarantineListener(Consumer<String> l) {
        quarantineListeners.remove(l);
    }

    /** Cross-checked results from {@code nodeId} that disagreed with another peer's (since start). */
    @Override
    public long disagreements(String nodeId) {
        return metrics.disagreements(nodeId);
    }

    @Override
    public boolean isQuarantined(String nodeId) {
        return quarantined.containsKey(nodeId);
    }

    @Override
    public List<QuarantinedPeer> quarantinedPeers() {
        List<QuarantinedPeer> out = new ArrayList<>(quarantined.values());
        out.sort(java.util.Comparator.comparing(QuarantinedPeer::nodeId));
        return out;
    }

    /** Lifts a quarantine: the peer may connect again and its results are used. */
    public boolean readmit(String nodeId) {
        checkRunning();
        if (quarantined.remove(nodeId) == null) {
            return false;
        }
        store.deleteQuarantine(nodeId);
        results.readmit(nodeId);
        LOG.log(System.Logger.Level.INFO, "re-admitted peer={0}", nodeId);
        return true;
    }

    /**
     * A claim from {@code source} was proven false (execution stage): the primary already applies
     * its own effects; the source is quarantined at once (its results ignored, including those
     * held), persistently, and the cluster disconnects and refuses it.
     */
    private void lied(String source, Transaction tx, PreExecResult claim, Effects own, String reason) {
        if (quarantined.containsKey(source)) {
            return;
        }
        results.quarantine(source);
        lease.peerGone(source);
        Digest claimed = claim.isFull() ? claim.effects().digest() : Digest.ZERO;
        QuarantinedPeer q = new QuarantinedPeer(source, tx.digest(), claimed, own.digest(), reason, java.time.Instant.now());
        quarantined.put(source, q);
        metrics.peersQuarantined.increment();
        LOG.log(System.Logger.Level.WARNING, "quarantined peer={0} tx={1} claimedEffects={2} ownEffects={3} reason={4}",
                source.isEmpty() ? "(host)" : source, tx.digest().toHex(), claimed.toHex(), q.ownEffects().toHex(), reason);
        try {
            store.writeQuarantine(q);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "quarantine of " + source + " not persisted", e);
        }
        for (Consumer<String> l : quarantineListeners) {
            try {
                l.accept(source);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "quarantine listener failed", e);
            }
        }
    }

    /** Offers a lease delegate's answer (LEASE_RESULT) from {@code source} for lease {@code epoch}. */
    @Override
    public OfferOutcome offerDelegatedResult(PreExecResult result, String source, long epoch) {
        checkRunning();
        return results.offerDelegated(result, source, epoch);
    }

    /** Offers a result received from pre-executor {@code source} (null: the host; see {@link ResultTable}). */
    @Override
    public OfferOutcome offerResult(PreExecResult result, String source) {
        checkRunning();
        return results.offer(result, source);
    }

    /**
     * Adds an observer of every commit published from now on (after the host's listener). Any
     * time, any thread; observers are called in the order they were added.
     */
    @Override
    public void addCommitObserver(CommitObserver observer) {
        observers.add(java.util.Objects.requireNonNull(observer, "observer"));
    }

    /** Removes an observer added with {@link #addCommitObserver}. */
    @Override
    public void removeCommitObserver(CommitObserver observer) {
        observers.remove(observer);
    }

    /**
     * Streams a consistent view of the durable state (see {@link RocksStore#readSnapshot}).
     *
     * @return the commit the view is at (-1: genesis)
     */
    @Override
    public long readSnapshot(int maxChunkObjects, int maxChunkBytes, RocksStore.SnapshotSink sink) {
        checkRunning();
        return store.readSnapshot(maxChunkObjects, maxChunkBytes, sink);
    }

    @Override
    public boolean isRunning() {
        return lifecycle == Lifecycle.RUNNING;
    }

    public OfferOutcome offerResult(byte[] encoded) {
        checkRunning();
        PreExecResult r;
        try {
            r = MessageCodec.decodePreExecResult(encoded);
        } catch (CodecException e) {
            metrics.undecodableResult();
            throw e;
        }
        return results.offer(r);
    }

    @Override
    public long lastExecutedCommit() {
        checkRunning();
        return pipeline.lastPublished();
    }

    @Override
    public StoredObject readObject(ObjectId id) {
        checkRunning();
        return state.peek(id);
    }

    public Digest stateDigest() {
        checkRunning();
        return pipeline.lastPublishedDigest();
    }

    public PrimaryMetrics metrics() {
        return metrics.snapshot();
    }

    /** The live counters (timing listeners are registered there). */
    public MetricsCounters metricsCounters() {
        return metrics;
    }

    public synchronized void close() {
        if (lifecycle == Lifecycle.CLOSED) {
            return;
        }
        boolean wasRunning = lifecycle == Lifecycle.RUNNING;
        lifecycle = Lifecycle.CLOSED;
        if (!wasRunning) {
            return;
        }
        try {
            pipeline.close();
        } finally {
            IllegalStateException closed = new IllegalStateException("primary closed before this commit was published");
            for (InFlight f : inFlight.values()) {
                f.future().completeExceptionally(closed);
            }
            store.close();
        }
    }

    private void checkRunning() {
        Lifecycle l = lifecycle;
        if (l != Lifecycle.RUNNING) {
            throw new IllegalStateException("state=" + l + " (expected: RUNNING; call start() first, and not after close())");
        }
    }
}
