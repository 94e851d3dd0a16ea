package io.remora.preexec.internal;

import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.exec.TransactionExecutor;
import io.remora.preexec.VerifyOnlyReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs EXECUTE'd transactions on the worker pool: transactions on disjoint declared objects in
 * parallel, transactions sharing a declared object in arrival order (each object's last task is
 * the tail of a chain of futures the next one waits for), each reading the {@link Replica} with
 * its predecessors' speculative writes.
 *
 * <pre>
 *  I/O thread: submit ──► wait for the tails of its objects ──► worker: hot? ──yes──► verify-only (HOT)
 *                                                                  │ no
 *                                      owned input version missing? ──yes──► state thread: parked
 *                                                                  │ no          │ state arrives: re-run
 *                                                  preExecute ◄────┘             │ park timeout: verify-only
 *                                                      │                                    (MISSING_VERSION)
 *                                 overlay ◄── speculative writes; RESULT ──► sink; complete the chain
 * </pre>
 *
 * A parked transaction keeps its place: the tails it holds stay incomplete, so later transactions
 * on its objects wait behind it.
 *
 * <p>Thread-safety: {@link #submit} may be called from any thread (calls are serialized);
 * {@link #recheckParked} and {@link #releaseParked} run on the state thread.
 */
public final class ExecutionScheduler {
    /** One transaction in flight. */
    private static final class Task {
        final Transaction tx;
        final List<ObjectId> objects;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        long deadlineNanos;
        boolean wasParked;

        Task(Transaction tx) {
            this.tx = tx;
            Set<ObjectId> ids = new LinkedHashSet<>();
            for (InputObject in : tx.inputs()) {
                ids.add(in.id());
            }
            this.objects = List.copyOf(ids);
        }
    }

    private final TransactionExecutor executor;
    private final Replica replica;
    private final StateSync sync;
    private final Counters counters;
    private final ExecutorService workers;
    private final ScheduledExecutorService stateThread;
    private final Consumer<PreExecResult> sink;
    private final long parkNanos;
    private final LongSupplier clock;
    private final int maxQueued;

    private final Map<ObjectId, CompletableFuture<Void>> tails = new HashMap<>();
    private final List<Task> parked = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong answered = new AtomicLong();
    private volatile boolean accepting = true;
    private volatile boolean draining;

    public ExecutionScheduler(TransactionExecutor executor, Replica replica, StateSync sync, Counters counters,
                              ExecutorService workers, ScheduledExecutorService stateThread,
                              Consumer<PreExecResult> sink, Duration parkTimeout, LongSupplier clock, int maxQueued) {
        this.executor = executor;
        this.replica = replica;
        this.sync = sync;
        this.counters = counters;
        this.workers = workers;
        this.stateThread = stateThread;
        this.sink = sink;
        this.parkNanos = parkTimeout.toNanos();
        this.clock = clock;
        this.maxQueued = maxQueued;
    }

    /** Transactions received and not yet answered (queued, parked or running). */
    public int queueDepth() {
        return inFlight.get();
    }

    /** Results produced so far (full and verify-only). */
    public long answered() {
        return answered.get();
    }

    /** Queues {@code tx}; returns false if refused (queue full or draining). Never blocks. */
    public boolean submit(Transaction tx) {
        if (!accepting || inFlight.get() >= maxQueued) {
            counters.rejected.increment();
            return false;
        }
        inFlight.incrementAndGet();
        counters.received.increment();
        Task t = new Task(tx);
        List<CompletableFuture<Void>> before = new ArrayList<>(t.objects.size());
        synchronized (tails) {
            for (ObjectId id : t.objects) {
                CompletableFuture<Void> prev = tails.put(id, t.done);
                if (prev != null) {
                    before.add(prev);
                }
            }
        }
        t.done.whenComplete((v, e) -> {
            synchronized (tails) {
                for (ObjectId id : t.objects) {
                    tails.remove(id, t.done);
                }
            }
        });
        if (before.isEmpty()) {
            dispatch(t);
        } else {
            CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> dispatch(t));
        }
        return true;
    }

    private void dispatch(Task t) {
        try {
            workers.execute(() -> run(t));
        } catch (RejectedExecutionException closed) {
            finish(t, null);
        }
    }

    private void run(Task t) {
        try {
            if (isHot(t)) {
                answerVerifyOnly(t, VerifyOnlyReason.HOT);
                return;
            }
            if (!replica.installed() || !missingOwned(t).isEmpty()) {
                park(t);
                return;
            }
            PreExecResult r = executor.preExecute(t.tx, replica, replica.watermark());
            replica.speculate(r.effects(), clock.getAsLong());
            counters.executed.increment();
            finish(t, r);
        } catch (RuntimeException e) {
            counters.executionErrors.increment();
            finish(t, null);
        }
    }

    private boolean isHot(Task t) {
        Set<ObjectId> hot = sync.hot();
        if (hot.isEmpty()) {
            return false;
        }
        for (ObjectId id : t.objects) {
            if (hot.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** Owned inputs whose referenced version the replica (with its overlay) has not reached. */
    private List<ObjectId> missingOwned(Task t) {
        List<ObjectId> missing = List.of();
        for (InputObject in : t.tx.inputs()) {
            if (in instanceof InputObject.Owned o && replica.version(o.id()) < o.ref().version()) {
                if (missing.isEmpty()) {
                    missing = new ArrayList<>(2);
                }
                missing.add(o.id());
            }
        }
        return missing;
    }

    private void park(Task t) {
        if (!t.wasParked) {
            t.wasParked = true;
            t.deadlineNanos = clock.getAsLong() + parkNanos;
            counters.parked.increment();
        }
        try {
            stateThread.execute(() -> parkOnStateThread(t));
        } catch (RejectedExecutionException closed) {
            answerVerifyOnly(t, reasonForTimeout());
        }
    }

    private void parkOnStateThread(Task t) {
        if (draining || clock.getAsLong() - t.deadlineNanos >= 0) {
            resolveTimedOut(t);
            return;
        }
        if (replica.installed() && missingOwned(t).isEmpty()) {
            dispatch(t); // state arrived between the check and now
            return;
        }
        parked.add(t);
        long delay = Math.max(0, t.deadlineNanos - clock.getAsLong());
        stateThread.schedule(() -> {
            if (parked.remove(t)) {
                resolveTimedOut(t);
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    private void resolveTimedOut(Task t) {
        VerifyOnlyReason reason = reasonForTimeout();
        try {
            workers.execute(() -> answerVerifyOnly(t, reason));
        } catch (RejectedExecutionException closed) {
            finish(t, null);
        }
    }

    private VerifyOnlyReason reasonForTimeout() {
        return replica.installed() ? VerifyOnlyReason.MISSING_VERSION : VerifyOnlyReason.NOT_SYNCED;
    }

    /** After committed state changed (state thread): re-runs the parked transactions it may unblock. */
    public void recheckParked() {
        for (Iterator<Task> it = parked.iterator(); it.hasNext(); ) {
            Task t = it.next();
            if (replica.installed() && missingOwned(t).isEmpty()) {
                it.remove();
                dispatch(t);
            }
        }
    }

    /** Draining (state thread): answers every parked transaction at once. */
    public void releaseParked() {
        draining = true;
        List<Task> all = new ArrayList<>(parked);
        parked.clear();
        all.forEach(this::resolveTimedOut);
    }

    private void answerVerifyOnly(Task t, VerifyOnlyReason reason) {
        try {
            PreExecResult r = executor.verifyOnly(t.tx, replica, replica.watermark());
            counters.verifyOnly(reason, 1);
            finish(t, r);
        } catch (RuntimeException e) {
            counters.executionErrors.increment();
            finish(t, null);
        }
    }

    private void finish(Task t, PreExecResult result) {
        try {
            if (result != null) {
                answered.incrementAndGet();
                sink.accept(result);
            }
        } finally {
            inFlight.decrementAndGet();
            t.done.complete(null);
        }
    }

    /** Stops accepting new transactions. */
    public void stopAccepting() {
        accepting = false;
    }
}
