package io.remora.primary.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.remora.core.Digest;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.exec.TransactionExecutor;
import io.remora.primary.CommitEffects;
import io.remora.primary.CommitListener;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The commit pipeline: a Disruptor ring of {@link CommitEvent}s and three stages, each on its own
 * thread, each handling commits strictly in ring (= commit) order.
 *
 * <pre>
 *  consensus thread          remora-execute            remora-persist           remora-publish
 *  publish(k, txs) --ring--> wait for results  -----> RocksDB WriteBatch  -----> fsync per policy
 *  (blocks only if the       Block-STM on N workers    (WAL, not synced)        overlay -> cache
 *   ring is full)            apply to overlay                                   listener.onCommit
 *                                                                               future.complete, lastPublished = k
 * </pre>
 *
 * Commit k+1 executes as soon as commit k is applied to the in-memory overlay, while commit k is
 * still being persisted; and commit k+1 is written while commit k's write-ahead log is synced
 * (a pipelined group commit: {@link RocksStore#awaitDurable}). A failure in any stage is fatal:
 * that commit and every later one complete exceptionally (state cannot skip a commit); the host
 * restarts the primary, which recovers from the last durable commit.
 *
 * <p>Thread-safety: {@link #publish} from one thread at a time (the caller serializes);
 * {@link #lastPublished}, {@link #lastPublishedDigest} from any thread.
 */
final class CommitPipeline implements AutoCloseable {
    private static final int RING_SIZE = 1024;

    private final Disruptor<CommitEvent> disruptor;
    private final RingBuffer<CommitEvent> ring;
    private final BlockStmExecutor engine;
    private final ResultTable results;
    private final CommittedState state;
    private final RocksStore store;
    private final MetricsCounters metrics;
    private final CommitListener listener;
    private final List<CommitObserver> observers;
    private final long resultWaitNanos;
    private final LongSupplier nanoClock;
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final StageWaitStrategy waitStrategy = new StageWaitStrategy();
    /** The first failure the publication stage saw (its own thread only): every later commit fails. */
    private Throwable publicationStopped;
    private volatile long lastPublished;
    private volatile Digest lastPublishedDigest;

    CommitPipeline(TransactionExecutor executor, int threads, ResultTable results, CommittedState state,
                   RocksStore store, MetricsCounters metrics, CommitListener listener, long resultWaitNanos,
                   LongSupplier nanoClock, long lastDurable, Digest durableDigest, List<CommitObserver> observers) {
        this.observers = observers;
        this.results = results;
        this.state = state;
        this.store = store;
        this.metrics = metrics;
        this.listener = listener;
        this.resultWaitNanos = resultWaitNanos;
        this.nanoClock = nanoClock;
        this.lastPublished = lastDurable;
        this.lastPublishedDigest = durableDigest;
        this.engine = new BlockStmExecutor(executor, threads, "remora-worker");
        String[] names = {"remora-execute", "remora-persist", "remora-publish"};
        int[] next = {0};
        this.disruptor = new Disruptor<>(CommitEvent::new, RING_SIZE, r -> {
            Thread t = new Thread(r, names[Math.min(next[0]++, names.length - 1)]);
            t.setDaemon(true);
            return t;
        }, ProducerType.SINGLE, waitStrategy);
        disruptor.setDefaultExceptionHandler(new FatalExceptionHandler());
        disruptor.handleEventsWith(new StageHandler(this::execute))
                .then(new StageHandler(this::persist))
                .then(new StageHandler(this::publish));
        this.ring = disruptor.start();
    }

    /** Enqueues a commit; blocks only while the ring is full (back-pressure from a slow primary). */
    void publish(long index, List<Transaction> txs, CompletableFuture<CommitEffects> future) {
        long seq = ring.next();
        CommitEvent e = ring.get(seq);
        e.index = index;
        e.transactions = txs;
        e.arrivalNanos = nanoClock.getAsLong();
        e.future = future;
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

    private void execute(CommitEvent e) {
        if (failIfFatal(e)) {
            return;
        }
        try {
            String[] sources = new String[e.transactions.size()];
            PreExecResult[] found = results.collect(e.transactions, e.arrivalNanos + resultWaitNanos, sources);
            long start = nanoClock.getAsLong();
            e.resultWaitNanos = Math.max(0, start - e.arrivalNanos);
            prefetch(e.transactions, found);
            CommitOutcome outcome = engine.execute(e.transactions, found, state);
            e.effects = outcome.effects();
            e.causes = outcome.causes();
            e.missedObjects = outcome.missedObjects();
            e.sources = sources;
            e.changes = state.apply(e.index, e.effects);
            e.stateDigest = state.stateDigest();
            e.executionNanos = nanoClock.getAsLong() - start;
            metrics.commitExecuted(outcome, e.transactions.size());
            metrics.resultWait.record(e.resultWaitNanos);
            metrics.execution.record(e.executionNanos);
        } catch (Throwable t) {
            fail(e, t);
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
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
            store.writeCommit(e.index, e.effects, e.changes, e.stateDigest);
            e.persistenceNanos = nanoClock.getAsLong() - start;
        } catch (Throwable t) {
            fail(e, t);
        }
    }

    private void publish(CommitEvent e) {
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
                state.markDurable(e.index, e.changes);
                CommitEffects ce = new CommitEffects(e.index, Arrays.asList(e.effects), e.stateDigest,
                        new CommitEffects.Timings(e.resultWaitNanos, e.executionNanos, e.persistenceNanos, false));
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

    private void notifyObservers(CommitEvent e, CommitEffects ce) {
        if (observers.isEmpty()) {
            return;
        }
        CommitObserver.Detail d = new CommitObserver.Detail(e.index, e.transactions, ce.effects(), e.causes,
                e.missedObjects, e.sources, e.changes);
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

    /** Drains the commits already published (waiting at most {@code timeoutMillis}), then stops every thread. */
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
