package io.remora.preexec.internal;

import io.remora.core.Digest;
import io.remora.core.InputObject;
import io.remora.core.LookupTable;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.protocol.Committed;
import io.remora.preexec.VerifyOnlyReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
        /** Arrival order. */
        final long seq;
        long deadlineNanos;
        boolean wasParked;
        /** The primary said a commit holds it: its result is late; it is not speculated once the replica holds that commit. */
        volatile boolean committed;
        /** The commit the notice named (valid when {@link #committed}). */
        volatile long committedAt = Long.MAX_VALUE;
        /** When it arrived (the scheduler's clock), to forget it if no notice ever comes. */
        final long arrivedNanos;
        /** Its first answer has been given (finish runs once). */
        final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        /** Lazy join: objects it read without declaring them (dynamic children) that had to be fetched. */
        volatile List<ObjectId> alsoReads = List.of();
        /** Lazy join: how often it ran and found such reads unknown (bounded by {@link #MAX_FETCH_ROUNDS}). */
        int fetchRounds;
        /** The objects its latest speculation wrote or deleted (worker that ran it, then repairs). */
        volatile List<ObjectId> speculated = List.of();

        Task(Transaction tx, long seq, long arrivedNanos) {
            this.tx = tx;
            this.seq = seq;
            this.arrivedNanos = arrivedNanos;
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

    /** The lease side, if this pre-executor may be a delegate (set once, before work arrives). */
    private volatile LeaseExecutor lease;
    private final Map<ObjectId, CompletableFuture<Void>> tails = new HashMap<>();
    private final List<Task> parked = new ArrayList<>();
    /**
     * Received and not known committed, in arrival order (guarded by itself): what a chain repair
     * re-executes, and where a COMMITTED notice finds a task to skip. The oldest leave past
     * {@link #maxUncommitted} (their notices were lost, or they never commit).
     */
    private final LinkedHashMap<Digest, Task> uncommitted = new LinkedHashMap<>();
    private final int maxUncommitted;
    private final long forgetAfterNanos;
    private long nextSeq; // under tails
    /** Per object: the arrival sequence a repair of it started at; a miss of an older result is already repaired. */
    private final ConcurrentHashMap<ObjectId, Long> repairedFrom = new ConcurrentHashMap<>();
    /** State thread: objects to repair once the replica reaches the commit (shared-object misses). */
    private final Map<ObjectId, Long> repairsDue = new HashMap<>();
    /** State thread: owned inputs that were missing when a task gave up; repaired when they arrive. */
    private final Set<ObjectId> missingInputs = new HashSet<>();
    private long installsSeen;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong answered = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder busyNanos = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean accepting = true;
    private volatile boolean draining;

    public ExecutionScheduler(TransactionExecutor executor, Replica replica, StateSync sync, Counters counters,
                              ExecutorService workers, ScheduledExecutorService stateThread,
                              Consumer<PreExecResult> sink, Duration parkTimeout, LongSupplier clock, int maxQueued,
                              Duration forgetAfter) {
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
        this.maxUncommitted = (int) Math.min(MAX_UNCOMMITTED, Math.max(4096L, 2L * maxQueued));
        this.forgetAfterNanos = forgetAfter.toNanos();
    }

    /**
     * Most transactions remembered as received-not-committed (each holds its transaction: ~1 KB for
     * a transfer, at most 64 KiB; the queue of work holds the same ones while they wait).
     */
    static final int MAX_UNCOMMITTED = 131_072;
    /** Most transactions one chain repair re-executes. */
    static final int MAX_REPAIR = 4096;

    /** Transactions received and not yet answered (queued, parked or running). */
    public int queueDepth() {
        return inFlight.get();
    }

    /** Results produced so far (full and verify-only). */
    public long answered() {
        return answered.get();
    }

    /** Transactions covered by a lease {@code l} holds get their signature checked only ({@link VerifyOnlyReason#LEASED}). */
    public void leaseExecutor(LeaseExecutor l) {
        this.lease = l;
    }

    /** Queues {@code tx}; returns false if refused (queue full or draining). Never blocks. */
    public boolean submit(Transaction tx) {
        if (!accepting || inFlight.get() >= maxQueued) {
            counters.rejected.increment();
            return false;
        }
        inFlight.incrementAndGet();
        counters.received.increment();
        Task t;
        List<CompletableFuture<Void>> before;
        synchronized (tails) {
            t = new Task(tx, nextSeq++, clock.getAsLong());
            synchronized (uncommitted) {
                uncommitted.put(tx.digest(), t);
                if (uncommitted.size() > maxUncommitted) {
                    Iterator<Task> oldest = uncommitted.values().iterator();
                    oldest.next();
                    oldest.remove();
                }
            }
            before = becomeTail(t.objects, t.done);
        }
        runAfter(before, () -> dispatch(t));
        return true;
    }

    /**
     * Makes {@code done} the tail of each of {@code objects} (under {@code tails}); returns the
     * tails it follows. The entries leave when {@code done} completes.
     */
    private List<CompletableFuture<Void>> becomeTail(Collection<ObjectId> objects, CompletableFuture<Void> done) {
        List<CompletableFuture<Void>> before = new ArrayList<>(objects.size());
        for (ObjectId id : objects) {
            CompletableFuture<Void> prev = tails.put(id, done);
            if (prev != null) {
                before.add(prev);
            }
        }
        done.whenComplete((v, e) -> {
            synchronized (tails) {
                for (ObjectId id : objects) {
                    tails.remove(id, done);
                }
            }
        });
        return before;
    }

    /** Runs {@code work} once every future in {@code before} has completed (at once if none). */
    private static void runAfter(List<CompletableFuture<Void>> before, Runnable work) {
        if (before.isEmpty()) {
            work.run();
        } else {
            CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> work.run());
        }
    }

    /** Runs {@code r} on a worker, adding how long it ran to {@link #busyNanos()}. */
    private void onWorkers(Runnable r) {
        workers.execute(() -> {
            long started = clock.getAsLong();
            try {
                r.run();
            } finally {
                busyNanos.add(clock.getAsLong() - started);
            }
        });
    }

    /** Worker time spent running tasks so far (nanoseconds of the scheduler's clock, all workers together). */
    public long busyNanos() {
        return busyNanos.sum();
    }

    private void dispatch(Task t) {
        try {
            onWorkers(() -> run(t));
        } catch (RejectedExecutionException closed) {
            finish(t, null);
        }
    }

    private void run(Task t) {
        try {
            if (heldByReplica(t)) {
                skipCommitted(t);
                return;
            }
            LeaseExecutor l = lease;
            if (l != null && l.covers(t.tx)) {
                // This pre-executor is the delegate of a lease over every object it declares: it
                // executes it once committed; now only the signature, off the commit's critical path.
                PreExecResult r = l.verifyAhead(t.tx);
                counters.verifyOnly(VerifyOnlyReason.LEASED, 1);
                finish(t, r);
                return;
            }
            if (isHot(t) && !ready(t)) {
                answerVerifyOnly(t, VerifyOnlyReason.HOT);
                return;
            }
            if (!ready(t)) {
                park(t);
                return;
            }
            if (isHot(t)) {
                // Verify-only answer, but executed and speculated all the same: the transactions
                // after it on these objects build on its writes (an unspeculated one would leave
                // their chain one write behind the committed order).
                PreExecResult full = executor.preExecute(t.tx, replica, replica.watermark());
                if (heldByReplica(t)) {
                    skipCommitted(t);
                    return;
                }
                t.speculated = replica.speculate(full.effects(), clock.getAsLong(), t.seq);
                counters.verifyOnly(VerifyOnlyReason.HOT, 1);
                finish(t, PreExecResult.verifyOnly(t.tx.digest(), full.lookupTable().withoutReads(), full.watermark()));
                return;
            }
            PreExecResult r = executor.preExecute(t.tx, replica, replica.watermark());
            if (replica.lazy() && t.fetchRounds < MAX_FETCH_ROUNDS) {
                // Lazy join: it read objects it did not declare that this replica has not fetched
                // (read as absent): fetch them and run it again, rather than answer a wrong read.
                List<ObjectId> unread = unknownReads(r.lookupTable());
                if (!unread.isEmpty()) {
                    t.fetchRounds++;
                    t.alsoReads = unread;
                    park(t);
                    return;
                }
            }
            if (heldByReplica(t)) {
                // Its commit reached the replica while it ran: it may have read its own effects.
                skipCommitted(t);
                return;
            }
            t.speculated = replica.speculate(r.effects(), clock.getAsLong(), t.seq);
            counters.executed.increment();
            if (t.committed) {
                // Committed, but the replica does not hold it yet: speculated (the chain behind it
                // needs its writes), answered empty (the primary has executed it already).
                skipCommitted(t);
            } else {
                finish(t, r);
            }
        } catch (Throwable e) {
            // Whatever went wrong (an Error included), the task is answered, so its objects' chain goes on.
            counters.executionErrors.increment();
            finish(t, null);
        }
    }

    /** Whether its commit is known and the replica holds it (so executing it reads its own effects). */
    private boolean heldByReplica(Task t) {
        return t.committed && replica.watermark() >= t.committedAt;
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

    /**
     * Whether {@code t} can run now: the replica is installed, or lazy and knows every object
     * {@code t} declares (fetched or said absent); and it holds each owned input at the version
     * {@code t} references.
     */
    private boolean ready(Task t) {
        if (!replica.usable()) {
            return false;
        }
        if (!replica.installed() && !unknown(t).isEmpty()) {
            return false;
        }
        return missingOwned(t).isEmpty();
    }

    /** Most times one transaction runs again in lazy mode because it read undeclared objects not fetched yet. */
    static final int MAX_FETCH_ROUNDS = 4;

    /** Lazy mode: the objects {@code t} declares or was found to read that the replica does not know yet. */
    private List<ObjectId> unknown(Task t) {
        List<ObjectId> out = List.of();
        for (List<ObjectId> ids : List.of(t.objects, t.alsoReads)) {
            for (ObjectId id : ids) {
                if (!replica.known(id)) {
                    if (out.isEmpty()) {
                        out = new ArrayList<>(2);
                    }
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** Lazy mode: the ids a pre-execution read that the replica does not know (it read them as absent). */
    private List<ObjectId> unknownReads(LookupTable table) {
        List<ObjectId> out = List.of();
        for (io.remora.core.ObjectRef ref : table.reads()) {
            if (!replica.known(ref.id())) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                out.add(ref.id());
            }
        }
        return out;
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
        if (ready(t)) {
            dispatch(t); // state arrived between the check and now
            return;
        }
        if (replica.lazy()) {
            // Lazy join: ask the primary for what it lacks (owned inputs at an older version too:
            // this replica gets no updates before its snapshot).
            List<ObjectId> want = new ArrayList<>(unknown(t));
            for (ObjectId id : missingOwned(t)) {
                if (!want.contains(id)) {
                    replica.forget(id);
                    want.add(id);
                }
            }
            sync.fetch(want);
        }
        if (io.remora.core.canary.Canary.PRE_EXECUTOR_LOSES_PARKED.active()) {
            return; // planted bug (simulator self-test): the task is never answered
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
        if (reason == VerifyOnlyReason.MISSING_VERSION && !draining) {
            // Its chain on these objects is broken here: rebuild it when their versions arrive.
            missingInputs.addAll(missingOwned(t));
        }
        try {
            onWorkers(() -> answerVerifyOnly(t, reason));
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
            if (ready(t)) {
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
        if (t.committed) {
            skipCommitted(t);
            return;
        }
        try {
            PreExecResult r = executor.verifyOnly(t.tx, replica, replica.watermark());
            counters.verifyOnly(reason, 1);
            finish(t, r);
        } catch (Throwable e) {
            counters.executionErrors.increment();
            finish(t, null);
        }
    }

    private void finish(Task t, PreExecResult result) {
        if (!t.finished.compareAndSet(false, true)) {
            return; // answered already (e.g. the sink threw after counting, and the caller retried)
        }
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

    /**
     * Answers a transaction already committed with an empty verify-only result (no reads, no
     * precompiles, signature not checked): nothing for the primary to use (it is late there), but
     * an answer, so that the primary sees this pre-executor keep up with its work.
     */
    private void skipCommitted(Task t) {
        counters.skippedCommitted.increment();
        finish(t, PreExecResult.verifyOnly(t.tx.digest(), LookupTable.EMPTY, replica.watermark()));
    }

    // ---- commit notices and chain repair ---------------------------------------------------------

    /**
     * A COMMITTED notice (any thread): its transactions are committed, so one not executed yet is
     * skipped; a stale or conflicting result names an object whose speculative chain left the
     * committed order, repaired once the replica holds that commit (on the state thread).
     */
    public void onCommitted(Committed notice) {
        List<ObjectId> repair = null;
        synchronized (uncommitted) {
            for (Committed.Entry e : notice.entries()) {
                Task t = uncommitted.remove(e.transaction());
                if (t == null) {
                    continue; // not ours, forgotten, or already notified
                }
                t.committedAt = notice.commit();
                t.committed = true; // after committedAt: a reader that sees this sees the commit
                if (e.missed() != null) {
                    // The object read wrongly may be a dynamic child no task declares: then repair the
                    // declared objects (whose chains order the child's readers).
                    List<ObjectId> ids = t.objects.contains(e.missed()) ? List.of(e.missed()) : t.objects;
                    for (ObjectId id : ids) {
                        Long from = repairedFrom.get(id);
                        if (from == null || t.seq >= from) { // a result computed after the last repair
                            if (repair == null) {
                                repair = new ArrayList<>(2);
                            }
                            repair.add(id);
                        }
                    }
                }
            }
        }
        if (repair == null) {
            counters.committedNotices.increment(); // applied (counted once done, so a reader sees its effect)
            return;
        }
        List<ObjectId> ids = repair;
        try {
            stateThread.execute(() -> {
                if (replica.lazy()) {
                    // Lazy join: no updates arrive to repair on; fetch them afresh instead.
                    ids.forEach(replica::forget);
                } else {
                    for (ObjectId id : ids) {
                        repairsDue.merge(id, notice.commit(), Math::max);
                    }
                    repairDue();
                }
                counters.committedNotices.increment();
            });
        } catch (RejectedExecutionException closed) {
            // closing
        }
    }

    /** After committed state changed (state thread), with the objects it wrote. */
    public void stateApplied(Collection<StoredObject> written) {
        if (replica.installs() != installsSeen && !replica.lastInstallKeptSpeculation()) {
            // A snapshot replaced everything: what already ran is no basis for repairs (its
            // speculation is gone); what has not run yet stays, so that a notice can still skip it.
            // (The snapshot that ends a lazy join keeps the speculation, and with it what repairs it.)
            synchronized (uncommitted) {
                uncommitted.values().removeIf(t -> t.finished.get());
            }
            repairsDue.clear();
            missingInputs.clear();
            repairedFrom.clear();
        }
        installsSeen = replica.installs();
        forgetOld();
        if (missingInputs.size() > maxUncommitted) {
            missingInputs.clear(); // bound: forgetting only costs a repair
        }
        recheckParked();
        if (!missingInputs.isEmpty()) {
            for (StoredObject o : written) {
                if (missingInputs.remove(o.id())) {
                    repair(o.id());
                }
            }
        }
        repairDue();
    }

    /**
     * Forgets transactions received longer than {@code forgetAfter} ago whose notice never came
     * (lost under back-pressure, or never committed): replaying them in a repair would apply them
     * on state that may hold them already.
     */
    private void forgetOld() {
        long cutoff = clock.getAsLong() - forgetAfterNanos;
        synchronized (uncommitted) {
            for (Iterator<Task> it = uncommitted.values().iterator(); it.hasNext(); ) {
                Task t = it.next();
                if (t.arrivedNanos - cutoff >= 0) {
                    break; // arrival order: the rest are younger
                }
                it.remove();
            }
        }
    }

    private void repairDue() {
        if (repairsDue.isEmpty()) {
            return;
        }
        long w = replica.watermark();
        for (Iterator<Map.Entry<ObjectId, Long>> it = repairsDue.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ObjectId, Long> e = it.next();
            if (e.getValue() <= w) {
                it.remove();
                repair(e.getKey());
            }
        }
    }

    /**
     * Rebuilds the speculative chain of {@code id} on committed state (state thread): queues, behind
     * every transaction received so far on the objects involved, a task that drops {@code id}'s
     * speculative write and re-executes, in arrival order, the received and uncommitted
     * transactions touching it (speculation only: their results were sent already). Transactions
     * received later run after it, on the rebuilt chain.
     */
    private void repair(ObjectId id) {
        List<Task> chain = new ArrayList<>();
        Set<ObjectId> objects = new LinkedHashSet<>();
        objects.add(id);
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<CompletableFuture<Void>> before;
        // The chain is taken and the repair queued under the same lock as submit (tails, then
        // uncommitted): every transaction on these objects is either in the chain or behind the repair.
        synchronized (tails) {
            synchronized (uncommitted) {
                for (Task t : uncommitted.values()) {
                    if (t.objects.contains(id)) {
                        chain.add(t);
                        objects.addAll(t.objects);
                        if (chain.size() >= MAX_REPAIR) {
                            break;
                        }
                    }
                }
            }
            repairedFrom.put(id, nextSeq);
            if (repairedFrom.size() > maxUncommitted) {
                repairedFrom.clear(); // bound: forgetting only costs a redundant repair
                repairedFrom.put(id, nextSeq);
            }
            before = becomeTail(objects, done);
        }
        runAfter(before, () -> {
            try {
                onWorkers(() -> runRepair(id, chain, done));
            } catch (RejectedExecutionException closed) {
                done.complete(null);
            }
        });
    }

    private void runRepair(ObjectId id, List<Task> chain, CompletableFuture<Void> done) {
        try {
            // Undo the chain's speculative writes (on every object it wrote, dynamic children
            // included; writes of other transactions stay), then replay it on committed state.
            replica.dropSpeculation(id);
            Set<Long> writers = new HashSet<>(chain.size() * 2);
            for (Task t : chain) {
                writers.add(t.seq);
            }
            for (Task t : chain) {
                for (ObjectId o : t.speculated) {
                    replica.dropIfWrittenBy(o, writers);
                }
                t.speculated = List.of();
            }
            counters.chainRepairs.increment();
            for (Task t : chain) {
                if (t.committed || !missingOwned(t).isEmpty()) {
                    continue;
                }
                PreExecResult r = executor.preExecute(t.tx, replica, replica.watermark());
                if (!t.committed) {
                    t.speculated = replica.speculate(r.effects(), clock.getAsLong(), t.seq);
                    counters.chainRepairExecutions.increment();
                }
            }
        } catch (RuntimeException e) {
            counters.executionErrors.increment();
        } finally {
            done.complete(null);
        }
    }

    /** Stops accepting new transactions. */
    public void stopAccepting() {
        accepting = false;
    }
}
