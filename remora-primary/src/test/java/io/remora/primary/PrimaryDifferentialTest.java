package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Digest;
import io.remora.core.LookupTable;
import io.remora.core.ObjectRef;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.testkit.Seeds;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 (determinism): whatever the pre-executors did and however many worker threads run,
 * the primary's per-transaction effects and state digests equal the sequential reference's.
 *
 * <p>Each case draws a workload kind, a fault and a thread count from the run's seed; the whole
 * run replays with {@code -Dremora.seed=<seed>}. Commits are small (tens of transactions) so that
 * {@value #CASES} cases take seconds.
 */
class PrimaryDifferentialTest {
    static final int CASES = 240;

    /** What the pre-executors got wrong in a case. */
    enum Fault {
        /** Pre-executed against the reference state just before the transaction: all adopted. */
        CORRECT,
        /** Pre-executed against the state before the commit: same-commit conflicts. */
        COMMIT_START,
        /** Pre-executed against an older state (genesis). */
        STALE,
        /** Correct results whose lookup tables carry wrong read versions or digests. */
        WRONG_VERSIONS,
        /** Verify-only results: hints but nothing to adopt. */
        VERIFY_ONLY,
        /** About half the results never arrive: executed locally after the wait. */
        MISSING,
        /** Every result arrives after its commit executed: counted late. */
        LATE,
        /** Every result offered twice (a correct and a stale one, either first). */
        DUPLICATED,
        /** Results offered from another thread after the commit was submitted. */
        AFTER_ARRIVAL,
        /** A random fault per transaction. */
        MIXED
    }

    @TempDir
    Path tmp;

    @Test
    void shouldMatchTheSequentialReferenceWhateverThePreExecutorsDid() throws Exception {
        long seed = Seeds.seed("PrimaryDifferentialTest");
        Random rnd = new Random(seed);
        int[] perFault = new int[Fault.values().length];
        for (int c = 0; c < CASES; c++) {
            int kind = rnd.nextInt(10);
            Fault fault = Fault.values()[rnd.nextInt(Fault.values().length)];
            int threads = 1 + rnd.nextInt(8);
            long caseSeed = rnd.nextLong();
            String label = "case " + c + " (kind=" + kind + " fault=" + fault + " threads=" + threads + ") of "
                    + Seeds.replay(seed);
            perFault[fault.ordinal()]++;
            Path dir = tmp.resolve("case-" + c);
            long t0 = System.nanoTime();
            try {
                runCase(workload(kind, caseSeed), fault, threads, new Random(caseSeed), dir, label);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(label + ": " + e, e);
            } finally {
                TestDirs.delete(dir);
            }
            if (System.getProperty("remora.verbose") != null) {
                System.out.println(label + " took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        }
        for (int f = 0; f < perFault.length; f++) {
            assertTrue(perFault[f] > 0 || CASES < 100, "fault " + Fault.values()[f] + " never drawn; " + Seeds.replay(seed));
        }
    }

    static Workload workload(int kind, long seed) {
        int n = 20 + (int) Math.floorMod(seed, 30L);
        return switch (kind) {
            case 0 -> Workloads.transfers(seed, 8).take(n);
            case 1 -> Workloads.coinOps(seed, 6).take(n);
            case 2 -> Workloads.fib(seed, 6, 200).take(n);
            case 3 -> Workloads.sharedCounters(seed, 4, 0.99).take(n);
            case 4 -> Workloads.amm(seed, 2).take(n);
            case 5 -> Workloads.registry(seed, 2, 12).take(n);
            case 6 -> Workloads.ycsbA(seed, 24).take(n);
            case 7 -> Workloads.ycsbB(seed, 24).take(n);
            case 8 -> Workloads.tpcc(seed, 1 + (int) Math.floorMod(seed, 4L), 20, 5).take(n);
            default -> Workloads.mixed(seed).take(n);
        };
    }

    private void runCase(Workload w, Fault fault, int threads, Random rnd, Path dir, String label) throws Exception {
        List<List<Transaction>> commits = Reference.cut(w.transactions(), 16, rnd);
        Map<Digest, PreExecResult> correct = new HashMap<>();
        Reference ref = Reference.run(w, commits, (c, tx, live) ->
                correct.put(tx.digest(), Reference.EXECUTOR.preExecute(tx, live, c - 1L)));
        long tRef = System.nanoTime();
        boolean waitLong = fault == Fault.AFTER_ARRIVAL;
        RemoraPrimary primary = RemoraPrimary.builder()
                .dataDirectory(dir)
                .transactionExecutor(io.remora.core.engine.BuiltinEngine.executor("primary"))
                .workerThreads(threads)
                .resultWaitTimeout(waitLong ? Duration.ofSeconds(30) : Duration.ofMillis(1))
                .fsyncPolicy(FsyncPolicy.NEVER)
                .objectCacheSize(rnd.nextBoolean() ? 0 : 64)
                .genesis(w.genesis())
                .build();
        try (primary) {
            primary.start();
            if (System.getProperty("remora.verbose") != null) {
                System.out.println("started in " + (System.nanoTime() - tRef) / 1_000_000 + " ms");
            }
            List<CompletableFuture<CommitEffects>> futures = new ArrayList<>();
            List<PreExecResult> late = new ArrayList<>();
            List<Thread> offerers = new ArrayList<>();
            for (int c = 0; c < commits.size(); c++) {
                List<PreExecResult> now = new ArrayList<>();
                List<PreExecResult> after = new ArrayList<>();
                for (Transaction tx : commits.get(c)) {
                    plan(fault, tx, c, ref, correct, rnd, now, after, late);
                }
                for (PreExecResult r : now) {
                    primary.offerResult(r);
                }
                for (PreExecResult r : after) {
                    primary.expectResult(r.transaction(), null); // the host will offer it: worth waiting for
                }
                futures.add(primary.submitCommit(c, commits.get(c)));
                if (!after.isEmpty()) {
                    Collections.shuffle(after, rnd);
                    Thread t = Thread.ofPlatform().name("offerer-" + c).start(() -> after.forEach(primary::offerResult));
                    offerers.add(t);
                }
            }
            for (int c = 0; c < commits.size(); c++) {
                CommitEffects ce = futures.get(c).get();
                assertEquals(c, ce.commitIndex());
                assertEquals(ref.effects.get(c), ce.effects(), "effects of commit " + c);
                assertEquals(ref.digestAfter.get(c), ce.stateDigest(), "state digest after commit " + c);
            }
            for (Thread t : offerers) {
                t.join();
            }
            for (PreExecResult r : late) {
                assertEquals(OfferOutcome.LATE, primary.offerResult(r));
            }
            assertEquals(commits.size() - 1, primary.lastExecutedCommit());
            assertEquals(ref.finalDigest(), primary.stateDigest());
            PrimaryMetrics m = primary.metrics();
            int total = w.transactions().size();
            assertEquals(total, m.transactionsExecuted());
            assertEquals(total, m.adopted() + m.reexecutedStale() + m.reexecutedConflict() + m.reexecutedNoResult());
            if (fault == Fault.CORRECT || fault == Fault.AFTER_ARRIVAL) {
                assertEquals(total, m.adopted() + m.audits(), "every correct result is adopted or audited: " + m);
            }
            assertEquals(0, m.liesDetected(), "honest pre-executors are never called liars: " + m);
            assertEquals(0, m.peersQuarantined(), "" + m);
            if (fault == Fault.LATE) {
                assertEquals(late.size(), m.resultsLate());
                assertEquals(0, m.adopted());
            }
            if (fault == Fault.DUPLICATED) {
                assertEquals(total, m.resultsDuplicate());
            }
        }
    }

    /** Decides which results to offer for {@code tx}: before its commit, after it, or once it executed. */
    private static void plan(Fault fault, Transaction tx, int c, Reference ref, Map<Digest, PreExecResult> correct,
                             Random rnd, List<PreExecResult> now, List<PreExecResult> after, List<PreExecResult> late) {
        PreExecResult good = correct.get(tx.digest());
        Fault f = fault;
        if (f == Fault.MIXED) {
            Fault[] perTx = {Fault.CORRECT, Fault.COMMIT_START, Fault.STALE, Fault.WRONG_VERSIONS, Fault.VERIFY_ONLY,
                    Fault.MISSING, Fault.DUPLICATED};
            f = perTx[rnd.nextInt(perTx.length)];
        }
        switch (f) {
            case CORRECT -> now.add(good);
            case COMMIT_START -> now.add(Reference.EXECUTOR.preExecute(tx, ref.snapshots.get(c), c - 1L));
            case STALE -> now.add(stale(tx, ref, c, rnd));
            case WRONG_VERSIONS -> now.add(tamper(good, rnd));
            case VERIFY_ONLY -> now.add(Reference.EXECUTOR.verifyOnly(tx, ref.snapshots.get(c), c - 1L));
            case MISSING -> {
                if (rnd.nextBoolean()) {
                    now.add(good);
                }
            }
            case LATE -> late.add(good);
            case DUPLICATED -> {
                PreExecResult other = rnd.nextBoolean() ? stale(tx, ref, c, rnd) : good;
                boolean goodFirst = rnd.nextBoolean();
                now.add(goodFirst ? good : other);
                now.add(goodFirst ? other : good);
            }
            case AFTER_ARRIVAL -> after.add(good);
            default -> throw new IllegalStateException("unplanned fault " + f);
        }
    }

    private static PreExecResult stale(Transaction tx, Reference ref, int c, Random rnd) {
        InMemoryObjectStore older = ref.snapshots.get(c == 0 ? 0 : rnd.nextInt(c));
        return Reference.EXECUTOR.preExecute(tx, older, -1);
    }

    /** The same result with one read's version (keeping lamport consistent) or digest changed. */
    private static PreExecResult tamper(PreExecResult r, Random rnd) {
        List<ObjectRef> reads = new ArrayList<>(r.lookupTable().reads());
        if (reads.isEmpty()) {
            return r;
        }
        int i = rnd.nextInt(reads.size());
        ObjectRef o = reads.get(i);
        ObjectRef bad = rnd.nextBoolean() && o.version() > 1
                ? new ObjectRef(o.id(), o.version() - 1, o.digest())
                : new ObjectRef(o.id(), o.version(), Digest.of(rnd.nextLong(), 1, 2, 3));
        reads.set(i, bad);
        LookupTable t = new LookupTable(reads, r.lookupTable().precompiles(), r.lookupTable().authenticator());
        return new PreExecResult(r.kind(), r.transaction(), r.watermark(), t, r.effects());
    }
}
