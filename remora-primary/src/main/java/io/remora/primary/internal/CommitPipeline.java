package io.remora.primary.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.exec.TransactionExecutor;
import io.remora.primary.CommitEffects;
import io.remora.primary.CommitListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The commit pipeline: a Disruptor ring of {@link CommitEvent}s and four stages, each on its own
 * thread, each handling commits strictly in ring (= commit) order.
 *
 * <pre>
 *  consensus thread        remora-prepare       remora-execute           remora-persist        remora-publish
 *  enqueue(k, txs) -ring-> audit sample,  ---> wait for results  ----> RocksDB WriteBatch -> fsync per policy
 *  (blocks only if the     own signature       exactly-once check      per chunk (WAL,       overlay -> cache
 *   ring is full)          checks for it       Block-STM on N workers  not synced)           listener.onCommit
 *                                              apply to overlay                              future.complete
 * </pre>
 *
 * Commit k+1 executes as soon as commit k is applied to the in-memory overlay, while commit k is
 * still being persisted; and commit k+1 is written while commit k's write-ahead log is synced
 * (a pipelined group commit: {@link RocksStore#awaitDurable}). A failure in any stage is fatal:
 * that commit and every later one complete exceptionally (state cannot skip a commit); the host
 * restarts the primary, which recovers from the last durable commit.
 *
 * <p>Thread-safety: {@link #enqueue} from one thread at a time (the caller serializes);
 * {@link #lastPublished}, {@link #lastPublishedDigest} from any thread.
 */
final class CommitPipeline implements AutoCloseable {
    private static final int RING_SIZE = 1024;

    private final Disruptor<CommitEvent> disruptor;
    private final RingBuffer<CommitEvent> ring;
    private final BlockStmExecutor engine;
    private final ResultTable results;
    private final TrustPolicy trust;
    private final ExactlyOnce exactlyOnce;
    private final CommittedState state;
    private final RocksStore store;
    private final MetricsCounters metrics;
    private final CommitListener listener;
    private final List<CommitObserver> observers;
    private final int chunkTransactions;
    private final LongSupplier nanoClock;
    private final LeaseManager lease;
    /** Test only: told at each persistence boundary (null in production). */
    private final PrimaryRuntime.PersistenceHook hook;
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final StageWaitStrategy waitStrategy = new StageWaitStrategy();
    /** The first failure the publication stage saw (its own thread only): every later commit fails. */
    private Throwable publicationStopped;
    private volatile long lastPublished;
    private volatile Digest lastPublishedDigest;

    CommitPipeline(TransactionExecutor executor, int threads, ResultTable results, TrustPolicy trust, CommittedState state,
                   RocksStore store, MetricsCounters metrics, CommitListener listener,
                   int chunkTransactions, LongSupplier nanoClock, long lastDurable, Digest durableDigest,
                   List<CommitObserver> observers, LeaseManager lease, PrimaryRuntime.PersistenceHook hook) {
        this.lease = lease;
        this.hook = hook;
        this.chunkTransactions = chunkTransactions;
        this.observers = observers;
        this.results = results;
        this.trust = trust;
        this.exactlyOnce = new ExactlyOnce(store);
        this.state = state;
        this.store = store;
        this.metrics = metrics;
        this.listener = listener;
        this.nanoClock = nanoClock;
        this.lastPublished = lastDurable;
        this.lastPublishedDigest = durableDigest;
        this.engine = new BlockStmExecutor(executor, threads, "remora-worker", executor.nodeId());
        String[] names = {"remora-prepare", "remora-execute", "remora-persist", "remora-publish"};
        int[] next = {0};
        this.disruptor = new Disruptor<>(CommitEvent::new, RING_SIZE,
                r -> io.remora.core.sched.Scheduling.daemonThreads(names[Math.min(next[0]++, names.length - 1)]).newThread(r),
                ProducerType.SINGLE, waitStrategy);
        disruptor.setDefaultExceptionHandler(new FatalExceptionHandler());
        disruptor.handleEventsWith(new StageHandler(this::prepare))
                .then(new StageHandler(this::execute))
                .then(new StageHandler(this::persist))
                .then(new StageHandler(this::syncAndPublish));
        this.ring = disruptor.start();
    }

    /** Enqueues a commit; blocks only while the ring is full (back-pressure from a slow primary). */
    void enqueue(long index, List<Transaction> txs, CompletableFuture<CommitEffects> future) {
        enqueue(index, txs, future, 0, 0, null);
    }

    /**
     * Enqueues a commit whose first {@code startPosition} positions ({@code firstChunk} chunks) are
     * already durable with effects {@code recovered} (resumed after a crash between two chunks).
     */
    void enqueue(long index, List<Transaction> txs, CompletableFuture<CommitEffects> future, int startPosition,
                 int firstChunk, Effects[] recovered) {
        if (startPosition == 0) {
            lease.enqueued(index, txs); // forwards its leased transactions before it can execute
        }
        long seq = ring.next();
        CommitEvent e = ring.get(seq);
        e.index = index;
        e.transactions = txs;
        e.arrivalNanos = nanoClock.getAsLong();
        e.future = future;
        e.startPosition = startPosition;
        e.firstChunk = firstChunk;
        e.recovered = recovered;
        ring.publish(seq);
    }

    long lastPublished() {
        return lastPublished;
    }

    Digest lastPublishedDigest() {
        return lastPublishedDigest;
    }

    /** The failure that stopped the pipeline, or null. */
    Throwable fatal() {
        return fatal.get();
    }

    /**
     * Preparation (its own thread, ahead of execution): the audit sample of the commit and the
     * primary's own signature checks for it, so that audits cost the serial execution stage only
     * the audited transactions' execution.
     */
    private void prepare(CommitEvent e) {
        if (failIfFatal(e)) {
            return;
        }
        try {
            List<Transaction> txs = e.startPosition == 0 ? e.transactions
                    : e.transactions.subList(e.startPosition, e.transactions.size());
            e.audits = trust.prepareAudits(txs);
        } catch (Throwable t) {
            fail(e, t);
        }
    }

    private void execute(CommitEvent e) {
        if (e.failure != null || failIfFatal(e)) {
            return;
        }
        try {
            List<Transaction> all = e.transactions;
            int n = all.size();
            int start = e.startPosition;
            List<Transaction> txs = start == 0 ? all : all.subList(start, n);
            LeaseManager.Plan plan = lease.plan(e.index);
            if (start > 0) {
                plan = null; // resumed after a restart: no lease covers it
            }
            ResultTable.Collected got = results.collect(txs, results.waitDeadline(e.arrivalNanos, txs.size()),
                    plan == null ? null : plan.delegated(), plan == null ? 0 : plan.deadlineNanos());
            PreExecResult[] found = got.usable.clone();
            String[] sources = got.sources;
            long began = nanoClock.getAsLong();
            e.resultWaitNanos = Math.max(0, began - e.arrivalNanos);
            Effects[] effects = new Effects[n];
            byte[] causes = new byte[n];
            ObjectId[] missed = new ObjectId[n];
            String[] allSources = new String[n];
            if (start > 0) {
                System.arraycopy(e.recovered, 0, effects, 0, start);
                Arrays.fill(causes, 0, start, CommitOutcome.RECOVERED);
            }
            System.arraycopy(sources, 0, allSources, start, sources.length);
            String[][] allRouted = new String[n][];
            System.arraycopy(got.routed, 0, allRouted, start, got.routed.length);
            boolean[] dup = exactlyOnce.duplicates(txs, found);
            ResultTable.Claim[][] checks = trust.plan(txs, got, found, dup, e.audits, metrics);
            CommitOutcome outcome = dup == null ? run(txs, found, checks) : runWithout(txs, found, checks, dup);
            trust.judge(txs, got, checks, outcome, metrics);
            System.arraycopy(outcome.effects(), 0, effects, start, txs.size());
            System.arraycopy(outcome.causes(), 0, causes, start, txs.size());
            System.arraycopy(outcome.missedObjects(), 0, missed, start, txs.size());
            exactlyOnce.executed(effects, start, n);
            e.effects = effects;
            e.causes = causes;
            e.missedObjects = missed;
            e.sources = allSources;
            e.routed = allRouted;
            applyInChunks(e, start, n);
            e.executionNanos = nanoClock.getAsLong() - began;
            if (start == 0) {
                lease.executed(e.index, txs, plan, got, outcome, e.executionNanos);
            }
            metrics.commitExecuted(outcome, txs.size());
            metrics.resultWait.record(e.resultWaitNanos);
            metrics.execution.record(e.executionNanos);
        } catch (Throwable t) {
            fail(e, t);
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private CommitOutcome run(List<Transaction> txs, PreExecResult[] found, ResultTable.Claim[][] checks) {
        prefetch(txs, found);
        return engine.execute(txs, found, checks, state);
    }

    /**
     * Runs the engine over the positions that are not duplicates (a duplicate reads and writes
     * nothing, so leaving it out changes no other position's view) and puts the duplicates' fixed
     * outcome back at their positions.
     */
    private CommitOutcome runWithout(List<Transaction> txs, PreExecResult[] found, ResultTable.Claim[][] checks,
                                     boolean[] dup) {
        int n = txs.size();
        List<Transaction> rest = new ArrayList<>(n);
        List<PreExecResult> restResults = new ArrayList<>(n);
        List<ResultTable.Claim[]> restChecks = checks == null ? null : new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (!dup[i]) {
                rest.add(txs.get(i));
                restResults.add(found[i]);
                if (restChecks != null) {
                    restChecks.add(checks[i]);
                }
            }
        }
        CommitOutcome inner = run(rest, restResults.toArray(new PreExecResult[0]),
                restChecks == null ? null : restChecks.toArray(new ResultTable.Claim[0][]));
        Effects[] effects = new Effects[n];
        byte[] causes = new byte[n];
        ObjectId[] missed = new ObjectId[n];
        int duplicates = 0;
        for (int i = 0, j = 0; i < n; i++) {
            if (dup[i]) {
                effects[i] = TransactionExecutor.duplicate(txs.get(i).digest());
                causes[i] = CommitOutcome.DUPLICATE;
                duplicates++;
            } else {
                effects[i] = inner.effects()[j];
                causes[i] = inner.causes()[j];
                missed[i] = inner.missedObjects()[j];
                j++;
            }
        }
        return new CommitOutcome(effects, inner.adopted(), inner.reexecutedStale(), inner.reexecutedConflict(),
                inner.reexecutedNoResult(), duplicates, inner.signaturesSkipped(), inner.precompilesReused(),
                inner.executions(), causes, missed, inner.checks() == null ? null : spread(inner.checks(), dup));
    }

    /** Verdicts by position of the non-duplicates, spread back over all positions. */
    private static ClaimCheck[][] spread(ClaimCheck[][] inner, boolean[] dup) {
        ClaimCheck[][] out = new ClaimCheck[dup.length][];
        for (int i = 0, j = 0; i < dup.length; i++) {
            if (!dup[i]) {
                out[i] = inner[j++];
            }
        }
        return out;
    }

    /**
     * Applies positions {@code [start, n)} to the overlay chunk by chunk (at most
     * {@code chunkTransactions} positions and about
     * {@link CommitRecord#MAX_CHUNK_BYTES} each), keeping each chunk's net changes and the state
     * digest after it for the persistence stage. Almost every commit is one chunk.
     */
    private void applyInChunks(CommitEvent e, int start, int n) {
        int[] ends = new int[Math.max(1, (n - start + chunkTransactions - 1) / chunkTransactions)];
        int chunks = 0;
        long bytes = 0;
        for (int i = start; i < n; i++) {
            long size = estimatedBytes(e.effects[i]);
            int from = chunks == 0 ? start : ends[chunks - 1];
            if (i > from && (i - from >= chunkTransactions || bytes + size > CommitRecord.MAX_CHUNK_BYTES)) {
                if (chunks == ends.length) {
                    ends = Arrays.copyOf(ends, ends.length * 2);
                }
                ends[chunks++] = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (chunks == ends.length) {
            ends = Arrays.copyOf(ends, ends.length + 1);
        }
        ends[chunks++] = n;
        ends = Arrays.copyOf(ends, chunks);
        List<Map<ObjectId, StoredObject>> changes = new ArrayList<>(chunks);
        Digest[] digests = new Digest[chunks];
        int from = start;
        for (int c = 0; c < chunks; c++) {
            changes.add(state.apply(e.index, e.effects, from, ends[c]));
            digests[c] = state.stateDigest();
            from = ends[c];
        }
        e.chunkEnds = ends;
        e.chunkChanges = changes;
        e.chunkDigests = digests;
        e.stateDigest = digests[chunks - 1];
    }

    /** About what a position adds to its chunk's write batch. */
    private static long estimatedBytes(Effects e) {
        long bytes = 256;
        for (Effects.Written w : e.written()) {
            bytes += 2L * (w.object().contents().length + 128);
        }
        for (io.remora.core.Event ev : e.events()) {
            bytes += ev.data().length + 64;
        }
        return bytes + 48L * (e.deleted().size() + e.modifiedAt().size());
    }

    /**
     * Warms the cache, before the workers start, with the objects that the transactions to be
     * executed will read: those the lookup table of a result that cannot be adopted names
     * (verify-only, another signature, inconsistent), or the declared inputs when there is no
     * result. An adoptable result's reads are not prefetched: validating it reads them anyway, and
     * a result that validates (the common case) is never executed.
     */
    private void prefetch(List<Transaction> txs, PreExecResult[] found) {
        for (int i = 0; i < found.length; i++) {
            PreExecResult r = found[i];
            if (r == null) {
                txs.get(i).inputs().forEach(in -> state.read(in.id()));
            } else if (!BlockStmExecutor.adoptable(r, txs.get(i))) {
                r.lookupTable().reads().forEach(ref -> state.read(ref.id()));
            }
        }
    }

    private void persist(CommitEvent e) {
        if (e.failure != null || failIfFatal(e)) {
            return;
        }
        try {
            long start = nanoClock.getAsLong();
            int from = e.startPosition;
            for (int c = 0; c < e.chunkEnds.length; c++) {
                reached(PrimaryRuntime.PersistenceHook.Point.BEFORE_BATCH, e.index, e.firstChunk + c);
                store.writeCommitChunk(e.index, e.firstChunk + c, c == e.chunkEnds.length - 1, e.transactions, from,
                        e.chunkEnds[c], e.effects, e.chunkChanges.get(c), e.chunkDigests[c]);
                reached(PrimaryRuntime.PersistenceHook.Point.AFTER_BATCH, e.index, e.firstChunk + c);
                from = e.chunkEnds[c];
            }
            e.persistenceNanos = nanoClock.getAsLong() - start;
        } catch (Throwable t) {
            fail(e, t);
        }
    }

    /**
     * The last stage: waits until the commit is durable (the WAL sync per the fsync policy, a group
     * commit while the persistence stage writes the next one), then publishes it in commit order.
     */
    private void syncAndPublish(CommitEvent e) {
        CompletableFuture<CommitEffects> future = e.future;
        try {
            // Only a failure of this commit or of an earlier one stops publication: a later
            // commit's failure (the global fatal flag) must not fail a commit already written.
            if (e.failure == null && publicationStopped != null) {
                e.failure = new IllegalStateException("primary stopped after a failure: " + publicationStopped,
                        publicationStopped);
            }
            if (e.failure == null) {
                // The fsync (EVERY_COMMIT) happens here, off the persistence stage, which is
                // meanwhile writing the next commit; its time counts as persistence.
                try {
                    long start = nanoClock.getAsLong();
                    store.awaitDurable(e.index);
                    reached(PrimaryRuntime.PersistenceHook.Point.AFTER_SYNC, e.index, -1);
                    e.persistenceNanos += nanoClock.getAsLong() - start;
                    metrics.persistence.record(e.persistenceNanos);
                } catch (Throwable t) {
                    fail(e, t);
                }
            }
            if (e.failure != null) {
                if (publicationStopped == null) {
                    publicationStopped = e.failure;
                }
                future.completeExceptionally(e.failure);
                return;
            }
            try {
                // Commit e.index is durable: move its objects from the overlay to the cache. Done
                // here rather than in the persistence stage, so that the next commit's write starts
                // sooner; the overlay keeps serving them meanwhile (see CommittedState).
                for (Map<ObjectId, StoredObject> changes : e.chunkChanges) {
                    state.markDurable(e.index, changes);
                }
                exactlyOnce.durable(e.effects, e.startPosition, e.effects.length);
                CommitEffects.Timings timings = new CommitEffects.Timings(e.resultWaitNanos, e.executionNanos,
                        e.persistenceNanos, Math.max(0, nanoClock.getAsLong() - e.arrivalNanos), false);
                CommitEffects ce = new CommitEffects(e.index, Arrays.asList(e.effects), e.stateDigest, timings);
                metrics.commitPublished(e.index, e.effects.length, timings);
                lastPublishedDigest = e.stateDigest;
                lastPublished = e.index;
                if (listener != null) {
                    try {
                        listener.onCommit(ce);
                    } catch (RuntimeException listenerBug) {
                        metrics.listenerErrors.increment();
                    }
                }
                notifyObservers(e, ce);
                future.complete(ce);
            } catch (Throwable t) {
                // An Error (out of memory, or thrown by a listener): nothing may be left waiting.
                fail(e, t);
                publicationStopped = t;
                future.completeExceptionally(t);
            }
        } finally {
            e.clear();
        }
    }

    private void reached(PrimaryRuntime.PersistenceHook.Point point, long index, int chunk) {
        if (hook != null) {
            hook.reached(point, index, chunk);
        }
    }

    private void notifyObservers(CommitEvent e, CommitEffects ce) {
        if (observers.isEmpty()) {
            return;
        }
        Map<ObjectId, StoredObject> changes = e.chunkChanges.get(0);
        if (e.chunkChanges.size() > 1) {
            changes = new java.util.LinkedHashMap<>();
            for (Map<ObjectId, StoredObject> c : e.chunkChanges) {
                changes.putAll(c);
            }
        }
        CommitObserver.Detail d = new CommitObserver.Detail(e.index, e.transactions, ce.effects(), e.causes,
                e.missedObjects, e.sources, e.routed, changes);
        for (CommitObserver o : observers) {
            try {
                o.onCommit(d);
            } catch (RuntimeException observerBug) {
                metrics.listenerErrors.increment();
            }
        }
    }

    private boolean failIfFatal(CommitEvent e) {
        Throwable f = fatal.get();
        if (f != null) {
            e.failure = new IllegalStateException("primary stopped after a failure: " + f, f);
            return true;
        }
        return false;
    }

    private void fail(CommitEvent e, Throwable t) {
        fatal.compareAndSet(null, t);
        e.failure = t;
    }

    /** Drains the commits already enqueued (waiting at most {@code timeoutMillis}), then stops every thread. */
    void close(long timeoutMillis) {
        try {
            disruptor.shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            disruptor.halt();
        } finally {
            engine.close();
        }
    }

    @Override
    public void close() {
        close(30_000);
    }

    /**
     * One stage: handles an event, then advances its own sequence and wakes the stages blocked on
     * it ({@link StageWaitStrategy}: downstream stages block rather than spin), also if the
     * handler threw.
     */
    private final class StageHandler implements EventHandler<CommitEvent> {
        private final Consumer<CommitEvent> stage;
        private Sequence sequence;

        StageHandler(Consumer<CommitEvent> stage) {
            this.stage = stage;
        }

        @Override
        public void setSequenceCallback(Sequence sequenceCallback) {
            this.sequence = sequenceCallback;
        }

        @Override
        public void onEvent(CommitEvent event, long seq, boolean endOfBatch) {
            try {
                stage.accept(event);
            } finally {
                sequence.set(seq);
                waitStrategy.signalAllWhenBlocking();
            }
        }
    }

    /** Handler exceptions are caught in the stages; anything reaching here is a bug: stop the pipeline. */
    private final class FatalExceptionHandler implements ExceptionHandler<CommitEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, CommitEvent event) {
            fatal.compareAndSet(null, ex);
            if (event != null && event.future != null) {
                event.future.completeExceptionally(ex);
            }
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            fatal.compareAndSet(null, ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            fatal.compareAndSet(null, ex);
        }
    }
}
