package io.remora.primary.internal;

import io.remora.core.Authenticator;
import io.remora.core.Effects;
import io.remora.core.LookupTable;
import io.remora.core.ObjectId;
import io.remora.core.ObjectRef;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.exec.ExecutionOutcome;
import io.remora.core.exec.StateView;
import io.remora.core.exec.TransactionExecutor;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The primary's merge engine: Block-STM over one commit, seeded by pre-execution.
 *
 * <p>Incarnation 0 of a position that has a usable full {@link PreExecResult} is that result: its
 * lookup-table reads are recorded as the read set and its effects as the write set, at no
 * execution cost. All such results are recorded in a seeding phase (split among the workers)
 * before any validation starts; validation then checks every read against the multi-version memory at the same
 * position, exactly as for an incarnation the primary executed. A position without a usable result,
 * or whose result fails validation, is executed on a worker with hints: the pre-executor's lookup
 * table (skip a verified signature, reuse precompile outputs), and from its second incarnation on
 * the primary's own previous table. Reads that land on an ESTIMATE suspend the execution until the
 * writer finishes, so dynamic reads (not declared up front) are handled like any other.
 *
 * <p>The result equals sequential execution in position order: Block-STM's guarantee, with
 * value-based validation (version and digest) so that results computed elsewhere validate the same
 * way as local ones.
 *
 * <p>Threads: the caller of {@link #execute} is one of the {@code threads} workers; the other
 * {@code threads - 1} are long-lived daemon threads owned by this object. Helpers join a commit
 * when they get a core and nobody waits for them to start or exit: on an oversubscribed machine a
 * descheduled helper delays nothing (seeding completes when every chunk is recorded, not when every
 * thread has checked in). Not reentrant: one {@link #execute} at a time.
 */
public final class BlockStmExecutor implements AutoCloseable {
    private static final int CAUSE_NONE = -1;

    private static final int SEED_CHUNK = 64;

    private final TransactionExecutor executor;
    private final ExecutorService pool;
    private final int threads;
    /** The authenticator the primary records for a signature it verified itself. */
    private final String nodeId;

    public BlockStmExecutor(TransactionExecutor executor, int threads, String threadNamePrefix) {
        this(executor, threads, threadNamePrefix, "primary");
    }

    public BlockStmExecutor(TransactionExecutor executor, int threads, String threadNamePrefix, String nodeId) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads=" + threads + " (expected: >= 1)");
        }
        this.executor = executor;
        this.threads = threads;
        this.nodeId = nodeId;
        this.pool = threads > 1 ? io.remora.core.sched.Scheduling.system().pool(threadNamePrefix + "-", threads - 1) : null;
    }

    /**
     * Executes {@code txs} at positions 0..n-1 against the committed state {@code base}.
     * {@code results[i]} (nullable) is the pre-execution result for {@code txs.get(i)}, already
     * matched by digest. {@code base} is only read.
     */
    public CommitOutcome execute(List<Transaction> txs, PreExecResult[] results, StateView base) {
        return execute(txs, results, null, base);
    }

    /**
     * As {@link #execute(List, PreExecResult[], StateView)}, and for every position {@code i} with
     * {@code checks[i] != null} (audited, or cross-checked results that disagreed): executes it in
     * full on the primary without any pre-executor hint, and checks each claim against that
     * execution ({@link ClaimCheck}, in {@link CommitOutcome#checks()}). For such a position
     * {@code results[i]} is null (the primary checks the signature itself) or a verify-only hint it
     * may trust: its own signature verdict, or (CROSS_CHECKED) the verdict and precompile outputs r
     * distinct pre-executors agreed on; never a result to adopt.
     */
    public CommitOutcome execute(List<Transaction> txs, PreExecResult[] results, ResultTable.Claim[][] checks,
                                 StateView base) {
        if (results.length != txs.size()) {
            throw new IllegalArgumentException("results.length=" + results.length + " (expected: " + txs.size() + ")");
        }
        if (checks != null && checks.length != txs.size()) {
            throw new IllegalArgumentException("checks.length=" + checks.length + " (expected: " + txs.size() + ")");
        }
        CommitOutcome adoptedAll = adoptAllInOrder(txs, results, checks, base);
        if (adoptedAll != null) {
            return adoptedAll;
        }
        Run run = new Run(txs, results, base, checks);
        if (txs.isEmpty()) {
            return run.outcome(null);
        }
        // Helpers join when they get a core; the caller never waits for them to start or to exit:
        // the commit is finished when the scheduler says so, whoever did the work. A helper that
        // starts after that sees a finished run and returns at once.
        for (int i = 0; i < threads - 1; i++) {
            pool.execute(run::work);
        }
        run.work();
        Throwable failure = run.failure.get();
        if (failure != null) {
            throw new IllegalStateException("commit execution failed: " + failure, failure);
        }
        return run.outcome(checks);
    }

    /** Marks an object deleted by an earlier position in {@link #adoptAllInOrder}'s local writes. */
    private static final Object DELETED_HERE = new Object();

    /**
     * The fast path for the common case, every position carrying an adoptable result: validate
     * them in position order against the base state plus the writes of the positions before, on
     * the calling thread, with one hash lookup per read and no multi-version memory. If every
     * read holds, every result is adopted: exactly what Block-STM would conclude (each incarnation
     * 0 validates against the writes of all lower positions, which are then the adopted ones),
     * at a fraction of the cost. Positions to check (a few: audits) are executed in full, in
     * order, against that same view, which is exactly the state at their position. At the first
     * read that does not hold (or a position without an adoptable result) it gives up and returns
     * null: the commit then runs through Block-STM from scratch, which finds the causes and
     * re-executes what must be.
     */
    private CommitOutcome adoptAllInOrder(List<Transaction> txs, PreExecResult[] results, ResultTable.Claim[][] checks,
                                          StateView base) {
        int n = results.length;
        if (n == 0) {
            return null;
        }
        int writes = 0;
        int inline = 0;
        for (int pos = 0; pos < n; pos++) {
            if (checks != null && checks[pos] != null) {
                inline++;
                continue;
            }
            PreExecResult r = results[pos];
            if (!adoptable(r, txs.get(pos))) {
                return null;
            }
            writes += r.effects().written().size() + r.effects().deleted().size();
        }
        if (inline > 4 + n / 16) {
            return null; // too many to execute one by one: Block-STM spreads them over the workers
        }
        SignatureChecks signatures = inline == 0 ? null : new SignatureChecks(txs, checks, results);
        if (pool != null) {
            if (signatures != null) {
                pool.execute(signatures); // verified ahead by a helper while this thread validates
            }
            // The written objects' digests are needed by later reads' validation and by the state
            // digest: helpers hash them from the end while this thread validates from the start
            // (and hashes what it needs first itself; a digest is computed at most twice, by a
            // benign race). Nobody waits for the helpers.
            pool.execute(new HashFromEnd(results, checks));
        }
        HashMap<ObjectId, Object> local = HashMap.newHashMap(writes + 16 * inline);
        StateView here = id -> {
            Object o = local.get(id);
            return o == null ? base.read(id) : o == DELETED_HERE ? null : (StoredObject) o;
        };
        Effects[] effects = new Effects[n];
        ClaimCheck[][] verdicts = inline == 0 ? null : new ClaimCheck[n][];
        int executions = 0;
        for (int pos = 0; pos < n; pos++) {
            Effects e;
            if (checks != null && checks[pos] != null) {
                Transaction tx = txs.get(pos);
                LookupTable own = signatures.valid(pos)
                        ? new LookupTable(List.of(), List.of(), Authenticator.verified(tx, nodeId)) : null;
                ExecutionOutcome o = executor.execute(tx, here, own);
                verdicts[pos] = checkAll(checks[pos], tx, o.effects(), o.lookupTable(), here);
                e = o.effects();
                executions++;
            } else {
                PreExecResult r = results[pos];
                List<ObjectRef> reads = r.lookupTable().reads();
                if (io.remora.core.canary.Canary.ADOPT_SKIPS_LAST_READ.active() && !reads.isEmpty()) {
                    reads = reads.subList(0, reads.size() - 1); // planted bug (simulator self-test)
                }
                for (ObjectRef ref : reads) {
                    if (!MultiVersionMemory.matches(ref, here.read(ref.id()))) {
                        return null;
                    }
                }
                e = r.effects();
            }
            for (Effects.Written w : e.written()) {
                local.put(w.object().id(), w.object());
            }
            for (ObjectId id : e.deleted()) {
                local.put(id, DELETED_HERE);
            }
            effects[pos] = e;
        }
        byte[] causes = new byte[n];
        if (inline > 0) {
            for (int pos = 0; pos < n; pos++) {
                if (checks[pos] != null) {
                    causes[pos] = CommitOutcome.NO_RESULT;
                }
            }
        }
        return new CommitOutcome(effects, n - inline, 0, 0, inline, 0, 0, 0, executions, causes, new ObjectId[n],
                verdicts);
    }

    private static ClaimCheck[] checkAll(ResultTable.Claim[] claims, Transaction tx, Effects own, LookupTable ownTable,
                                         StateView atPosition) {
        ClaimCheck[] out = new ClaimCheck[claims.length];
        for (int i = 0; i < claims.length; i++) {
            out[i] = ClaimCheck.of(claims[i].result(), tx, own, ownTable, atPosition);
        }
        return out;
    }

    /**
     * The primary's own signature checks for the positions to check, claimed in order by a helper
     * (ahead) and by the validating thread (when it reaches one not yet taken): each is done once.
     */
    private static final class SignatureChecks implements Runnable {
        private static final int UNCLAIMED = 0;
        private static final int TAKEN = 1;
        private static final int VALID = 2;
        private static final int INVALID = 3;
        private final List<Transaction> txs;
        private final int[] positions;
        private final java.util.concurrent.atomic.AtomicIntegerArray state;
        private final java.util.HashMap<Integer, Integer> slotOf = new java.util.HashMap<>();

        /** {@code ownHints[pos]}: the primary's own verdict, when it has one already (see execute). */
        SignatureChecks(List<Transaction> txs, ResultTable.Claim[][] checks, PreExecResult[] ownHints) {
            this.txs = txs;
            int k = 0;
            for (ResultTable.Claim[] c : checks) {
                if (c != null) {
                    k++;
                }
            }
            positions = new int[k];
            k = 0;
            for (int pos = 0; pos < checks.length; pos++) {
                if (checks[pos] != null) {
                    slotOf.put(pos, k);
                    positions[k++] = pos;
                }
            }
            state = new java.util.concurrent.atomic.AtomicIntegerArray(k);
            for (int j = 0; j < k; j++) {
                PreExecResult own = ownHints[positions[j]];
                if (own != null && own.lookupTable().authenticator().verifiedFor(txs.get(positions[j]))) {
                    state.set(j, VALID);
                }
            }
        }

        @Override
        public void run() {
            for (int k = 0; k < positions.length; k++) {
                take(k);
            }
        }

        private void take(int k) {
            if (state.compareAndSet(k, UNCLAIMED, TAKEN)) {
                state.set(k, txs.get(positions[k]).verifySignature() ? VALID : INVALID);
            }
        }

        /** Whether the signature at {@code pos} verifies; checks it now if nobody has started. */
        boolean valid(int pos) {
            int k = slotOf.get(pos);
            take(k);
            int spins = 0;
            int s;
            while ((s = state.get(k)) == TAKEN) {
                if (++spins > 64) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            return s == VALID;
        }
    }

    /** Hashes the objects written by {@code results}, from the last position down, until it meets validated ones. */
    private static final class HashFromEnd implements Runnable {
        private final PreExecResult[] results;
        private final ResultTable.Claim[][] checks;

        HashFromEnd(PreExecResult[] results, ResultTable.Claim[][] checks) {
            this.results = results;
            this.checks = checks;
        }

        @Override
        public void run() {
            for (int pos = results.length - 1; pos >= 0; pos--) {
                if (checks != null && checks[pos] != null) {
                    continue; // executed by the primary: nothing adopted to hash
                }
                List<Effects.Written> written = results[pos].effects().written();
                for (int i = written.size() - 1; i >= 0; i--) {
                    StoredObject o = written.get(i).object();
                    if (o.hasDigest()) {
                        return; // the validating thread got here first
                    }
                    o.digest();
                }
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** The state of one commit's execution, shared by its workers. */
    private final class Run {
        final List<Transaction> txs;
        final PreExecResult[] results;
        final StateView base;
        final MultiVersionMemory memory;
        final BlockStmScheduler scheduler;
        final Effects[] effects;
        final LookupTable[] ownTables;
        final boolean[] fromResult;
        final int[] cause;
        final ObjectId[] missed;
        final AtomicInteger executions = new AtomicInteger();
        final AtomicInteger signaturesSkipped = new AtomicInteger();
        final AtomicInteger precompilesReused = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        /** Positions executed to check claims: their hint is the primary's own, not counted as a skip. */
        final ResultTable.Claim[][] checks;

        Run(List<Transaction> txs, PreExecResult[] results, StateView base, ResultTable.Claim[][] checks) {
            int n = txs.size();
            this.checks = checks;
            this.txs = txs;
            this.results = results;
            this.base = base;
            this.memory = new MultiVersionMemory(base, n);
            this.scheduler = new BlockStmScheduler(n);
            this.effects = new Effects[n];
            this.ownTables = new LookupTable[n];
            this.fromResult = new boolean[n];
            this.cause = new int[n];
            this.missed = new ObjectId[n];
            this.seedChunks = (n + SEED_CHUNK - 1) / SEED_CHUNK;
            java.util.Arrays.fill(cause, CAUSE_NONE);
        }

        /** Positions handed out to workers for the seeding phase, in chunks, and chunks done. */
        final AtomicInteger seedCursor = new AtomicInteger();
        final AtomicInteger seedChunksDone = new AtomicInteger();
        final int seedChunks;

        /**
         * Seeding: every adoptable pre-execution result is recorded as incarnation 0 before any
         * validation starts, so that a later position never validates against an earlier one
         * whose (correct) result simply has not been recorded yet.
         */
        private void seed() {
            int n = results.length;
            for (int from = seedCursor.getAndAdd(SEED_CHUNK); from < n; from = seedCursor.getAndAdd(SEED_CHUNK)) {
                seedChunk(from, n);
                seedChunksDone.incrementAndGet();
            }
            // Validation may start only once every chunk is recorded (by whichever worker took it).
            int spins = 0;
            while (seedChunksDone.get() < seedChunks && !scheduler.done()) {
                if (++spins > 64) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        private void seedChunk(int from, int n) {
            int to = Math.min(n, from + SEED_CHUNK);
            for (int pos = from; pos < to; pos++) {
                PreExecResult r = results[pos];
                if (adoptable(r, txs.get(pos))) {
                    fromResult[pos] = true;
                    effects[pos] = r.effects();
                    // Hash the written objects here, split among the workers: later positions'
                    // validation and the state digest need these digests anyway.
                    for (Effects.Written w : r.effects().written()) {
                        w.object().digest();
                    }
                    memory.record(pos, r.lookupTable().reads(), r.effects());
                    scheduler.markPreExecuted(pos);
                }
            }
        }

        void work() {
            try {
                seed();
                long task = BlockStmScheduler.NONE;
                int idle = 0;
                while (!scheduler.done()) {
                    if (task != BlockStmScheduler.NONE) {
                        int pos = BlockStmScheduler.position(task);
                        int inc = BlockStmScheduler.incarnation(task);
                        task = BlockStmScheduler.kind(task) == BlockStmScheduler.EXECUTION
                                ? tryExecute(pos, inc) : validate(pos, inc);
                        idle = 0;
                    } else {
                        task = scheduler.nextTask();
                        if (task == BlockStmScheduler.NONE && ++idle > 64) {
                            Thread.yield();
                        }
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                scheduler.abortAll();
            }
        }

        private long tryExecute(int pos, int inc) {
            PreExecResult r = results[pos];
            if (inc == 0) {
                cause[pos] = CommitOutcome.NO_RESULT;
            }
            fromResult[pos] = false;
            while (true) {
                LookupTable hints = ownTables[pos] != null ? ownTables[pos] : (r != null ? r.lookupTable() : null);
                ExecutionOutcome o;
                try {
                    o = executor.execute(txs.get(pos), memory.viewAt(pos), hints);
                } catch (MultiVersionMemory.Dependency d) {
                    if (scheduler.addDependency(pos, d.blocking)) {
                        return BlockStmScheduler.NONE;
                    }
                    continue; // the blocking position finished meanwhile: execute again now
                }
                executions.incrementAndGet();
                if (ownTables[pos] == null && hints != null && (checks == null || checks[pos] == null)) {
                    if (o.signatureSkipped()) {
                        signaturesSkipped.incrementAndGet();
                    }
                    precompilesReused.addAndGet(o.precompilesReused());
                }
                ownTables[pos] = o.lookupTable();
                effects[pos] = o.effects();
                boolean wroteNew = memory.record(pos, o.lookupTable().reads(), o.effects());
                return scheduler.finishExecution(pos, inc, wroteNew);
            }
        }

        private long validate(int pos, int inc) {
            ObjectRef bad = memory.firstInvalidRead(pos);
            boolean aborted = bad != null && scheduler.tryValidationAbort(pos, inc);
            if (aborted) {
                if (fromResult[pos] && cause[pos] == CAUSE_NONE) {
                    cause[pos] = MultiVersionMemory.matches(bad, base.read(bad.id()))
                            ? CommitOutcome.CONFLICT : CommitOutcome.STALE;
                    missed[pos] = bad.id();
                }
                memory.convertWritesToEstimates(pos);
            }
            return scheduler.finishValidation(pos, aborted);
        }

        CommitOutcome outcome(ResultTable.Claim[][] checks) {
            ClaimCheck[][] verdicts = null;
            if (checks != null) {
                verdicts = new ClaimCheck[checks.length][];
                for (int pos = 0; pos < checks.length; pos++) {
                    if (checks[pos] != null) {
                        verdicts[pos] = checkAll(checks[pos], txs.get(pos), effects[pos], ownTables[pos],
                                memory.viewAt(pos));
                    }
                }
            }
            int adopted = 0;
            int stale = 0;
            int conflict = 0;
            int none = 0;
            byte[] causes = new byte[effects.length];
            for (int i = 0; i < effects.length; i++) {
                if (fromResult[i]) {
                    adopted++;
                    causes[i] = CommitOutcome.ADOPTED;
                    missed[i] = null;
                } else {
                    switch (cause[i]) {
                        case CommitOutcome.STALE -> stale++;
                        case CommitOutcome.CONFLICT -> conflict++;
                        default -> none++;
                    }
                    causes[i] = cause[i] == CAUSE_NONE ? CommitOutcome.NO_RESULT : (byte) cause[i];
                }
            }
            return new CommitOutcome(effects, adopted, stale, conflict, none, 0, signaturesSkipped.get(),
                    precompilesReused.get(), executions.get(), causes, missed, verdicts);
        }
    }

    /**
     * A result is adopted as incarnation 0 only if it is a full result for this transaction whose
     * exact signature a trusted pre-executor verified (the digest does not cover the signature, so
     * a committed copy with another signature must not inherit the verdict) and whose effects are
     * consistent with its reads (lamport = 1 + max version read). A result claiming an invalid
     * signature is never trusted: the primary checks for itself.
     */
    static boolean adoptable(PreExecResult r, Transaction tx) {
        if (r == null || !r.isFull() || !r.transaction().equals(tx.digest())
                || !r.lookupTable().authenticator().verifiedFor(tx)) {
            return false;
        }
        long max = 0;
        for (ObjectRef ref : r.lookupTable().reads()) {
            max = Math.max(max, ref.version());
        }
        return r.effects().lamportVersion() == max + 1;
    }
}
