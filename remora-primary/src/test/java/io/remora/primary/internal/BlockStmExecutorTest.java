package io.remora.primary.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Effects;
import io.remora.core.LookupTable;
import io.remora.core.ObjectRef;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.testkit.Oracle;
import io.remora.core.testkit.Seeds;
import io.remora.core.testkit.Shrink;
import io.remora.core.workload.Workload;
import io.remora.core.workload.WorkloadGenerator;
import io.remora.core.workload.Workloads;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test of the merge engine against the sequential reference executor: random
 * workloads of every kind, split into random commits, with pre-execution results that are exact,
 * stale, made at the commit's start, tampered, verify-only or missing, on 1 to 8 worker threads.
 * Every transaction's effects and the final state digest must equal the reference's.
 */
class BlockStmExecutorTest {
    private static final TransactionExecutor PRE = BuiltinEngine.executor("pre-1");
    private static final TransactionExecutor PRIMARY = BuiltinEngine.executor("primary");

    enum Fault { EXACT, STALE, COMMIT_START, WRONG_VERSION, WRONG_DIGEST, VERIFY_ONLY, MISSING, MIXED }

    private static final List<LongFunction<WorkloadGenerator>> WORKLOADS = List.of(
            s -> Workloads.transfers(s, 16),
            s -> Workloads.coinOps(s, 8),
            s -> Workloads.fib(s, 8, 50),
            s -> Workloads.sharedCounters(s, 4, 0.99),
            s -> Workloads.sharedCounters(s, 16, 0.0),
            s -> Workloads.amm(s, 2),
            s -> Workloads.registry(s, 2, 8),
            s -> Workloads.ycsbA(s, 16),
            s -> Workloads.ycsbB(s, 16),
            s -> Workloads.tpcc(s, 1, 20, 5),
            s -> Workloads.tpcc(s, 4, 20, 5),
            s -> Workloads.mixed(s));

    @Test
    void shouldEqualSequentialExecutionForEveryFaultAndThreadCount() {
        long seed = Seeds.seed("BlockStmExecutorTest");
        Random random = new Random(seed);
        int cases = 0;
        for (int round = 0; cases < 240; round++) {
            for (Fault fault : Fault.values()) {
                long caseSeed = random.nextLong();
                int threads = 1 + random.nextInt(8);
                int kind = random.nextInt(WORKLOADS.size());
                Workload w = WORKLOADS.get(kind).apply(caseSeed).take(20 + random.nextInt(60));
                List<Transaction> txs = tamperSignatures(w.transactions(), new Random(caseSeed));
                String label = w.name() + " fault=" + fault + " threads=" + threads + " caseSeed=" + caseSeed;
                Shrink.checkPrefixes(seed, txs, prefix -> runCase(new Workload(w.name(), w.genesis(), prefix),
                        fault, threads, new Random(caseSeed), label));
                cases++;
            }
        }
    }

    /**
     * TPC-C at its default scale (100 items, 30 customers per district) on the hot spot (W = 1) and
     * W = 4: every fault kind, 4 worker threads, 150 transactions in random commits.
     */
    @ParameterizedTest(name = "W={0}")
    @ValueSource(ints = {1, 4})
    void tpccShouldEqualSequentialExecution(int warehouses) {
        long seed = Seeds.seed("BlockStmExecutorTest.tpcc" + warehouses);
        Workload w = Workloads.tpcc(seed, warehouses).take(150);
        for (Fault fault : Fault.values()) {
            runCase(w, fault, 4, new Random(seed + fault.ordinal()), w.name() + " fault=" + fault + " " + Seeds.replay(seed));
        }
    }

    /** About 3% of transactions get a garbage signature: they must fail identically everywhere. */
    private static List<Transaction> tamperSignatures(List<Transaction> txs, Random random) {
        List<Transaction> out = new ArrayList<>(txs.size());
        for (Transaction tx : txs) {
            if (random.nextInt(33) == 0) {
                byte[] sig = new byte[64];
                random.nextBytes(sig);
                out.add(tx.withSignature(sig));
            } else {
                out.add(tx);
            }
        }
        return out;
    }

    private static void runCase(Workload w, Fault fault, int threads, Random random, String label) {
        Oracle.Run expected = Oracle.run(w);
        List<Transaction> txs = w.transactions();
        List<Integer> cuts = commitBoundaries(txs.size(), random);

        // Produce the pre-execution results by replaying the reference and snapshotting as needed.
        PreExecResult[] results = new PreExecResult[txs.size()];
        InMemoryObjectStore ref = w.genesisStore();
        InMemoryObjectStore previousCommitStart = ref.copy();
        // The state at the start of the commit before (genesis for the first two): what a replica
        // one commit behind the primary's base reads (STALE), as opposed to one at the base (COMMIT_START).
        InMemoryObjectStore olderStart = ref.copy();
        int c = 0;
        for (int i = 0; i < txs.size(); i++) {
            if (i == cuts.get(c)) {
                c++;
            }
            int commitStart = c == 0 ? 0 : cuts.get(c - 1);
            if (i == commitStart) {
                previousCommitStart = i == 0 ? ref.copy() : previousCommitStart;
            }
            Fault f = fault == Fault.MIXED ? Fault.values()[random.nextInt(Fault.values().length - 1)] : fault;
            results[i] = result(f, txs.get(i), ref, previousCommitStart, olderStart, random);
            Effects e = PRIMARY.execute(txs.get(i), ref).effects();
            ref.apply(e);
            if (i + 1 == cuts.get(c)) {
                olderStart = previousCommitStart;
                previousCommitStart = ref.copy();
            }
        }

        InMemoryObjectStore state = w.genesisStore();
        int adopted = 0;
        try (BlockStmExecutor engine = new BlockStmExecutor(PRIMARY, threads, "test-stm")) {
            int from = 0;
            for (int cut : cuts) {
                List<Transaction> commit = txs.subList(from, cut);
                PreExecResult[] rs = java.util.Arrays.copyOfRange(results, from, cut);
                CommitOutcome out = engine.execute(commit, rs, state);
                for (int i = 0; i < commit.size(); i++) {
                    assertEquals(expected.effects().get(from + i), out.effects()[i],
                            label + ": effects of position " + (from + i));
                    state.apply(out.effects()[i]);
                }
                assertEquals(commit.size(), out.adopted() + out.reexecutedStale() + out.reexecutedConflict()
                        + out.reexecutedNoResult(), label + ": every position accounted for");
                adopted += out.adopted();
                from = cut;
            }
        }
        assertEquals(expected.stateDigest(), state.stateDigest(), label + ": final state digest");
        if (fault == Fault.EXACT) {
            long verified = java.util.stream.IntStream.range(0, results.length)
                    .filter(i -> BlockStmExecutor.adoptable(results[i], txs.get(i))).count();
            assertEquals(verified, adopted, label + ": every exact, verified result is adopted");
        }
        if (fault == Fault.MISSING || fault == Fault.VERIFY_ONLY) {
            assertEquals(0, adopted, label + ": nothing to adopt");
        }
    }

    /** Commit end indices (exclusive), the last one = n. */
    private static List<Integer> commitBoundaries(int n, Random random) {
        List<Integer> cuts = new ArrayList<>();
        int at = 0;
        while (at < n) {
            at = Math.min(n, at + 1 + random.nextInt(25));
            cuts.add(at);
        }
        if (cuts.isEmpty()) {
            cuts.add(0);
        }
        return cuts;
    }

    private static PreExecResult result(Fault f, Transaction tx, InMemoryObjectStore exact,
                                        InMemoryObjectStore commitStart, InMemoryObjectStore older, Random random) {
        return switch (f) {
            case EXACT -> PRE.preExecute(tx, exact, 0);
            case STALE -> PRE.preExecute(tx, older, 0);
            case COMMIT_START -> PRE.preExecute(tx, commitStart, 0);
            case WRONG_VERSION, WRONG_DIGEST -> tamper(PRE.preExecute(tx, exact, 0), f, random);
            case VERIFY_ONLY -> PRE.verifyOnly(tx, exact, 0);
            case MISSING, MIXED -> null;
        };
    }

    private static PreExecResult tamper(PreExecResult r, Fault f, Random random) {
        List<ObjectRef> reads = new ArrayList<>(r.lookupTable().reads());
        if (reads.isEmpty()) {
            return r;
        }
        int k = random.nextInt(reads.size());
        ObjectRef old = reads.get(k);
        ObjectRef bad = f == Fault.WRONG_VERSION
                ? new ObjectRef(old.id(), Math.max(0, old.version() - 1), old.digest())
                : new ObjectRef(old.id(), old.version(), io.remora.core.Digest.of(1, 2, 3, 4));
        reads.set(k, bad);
        LookupTable t = new LookupTable(reads, r.lookupTable().precompiles(), r.lookupTable().authenticator());
        return PreExecResult.full(r.effects(), t, r.watermark());
    }

    @Test
    void shouldNotTrustAVerifiedResultForACopyWithAnotherSignature() {
        long seed = Seeds.seed("BlockStmExecutorTest.signatureCopy");
        Workload w = Workloads.transfers(seed, 4).take(4);
        InMemoryObjectStore ref = w.genesisStore();
        List<Transaction> committed = new ArrayList<>();
        PreExecResult[] results = new PreExecResult[w.transactions().size()];
        for (int i = 0; i < results.length; i++) {
            Transaction original = w.transactions().get(i);
            results[i] = PRE.preExecute(original, ref, 0);
            ref.apply(results[i].effects());
            // Consensus commits a copy of the same data with a garbage signature: same digest.
            Transaction copy = original.withSignature(new byte[64]);
            assertEquals(original.digest(), copy.digest());
            committed.add(copy);
        }
        Oracle.Run expected = Oracle.run(new Workload(w.name(), w.genesis(), committed));
        try (BlockStmExecutor engine = new BlockStmExecutor(PRIMARY, 2, "test-stm")) {
            CommitOutcome out = engine.execute(committed, results, w.genesisStore());
            assertEquals(0, out.adopted(), Seeds.replay(seed));
            assertEquals(0, out.signaturesSkipped(), Seeds.replay(seed));
            for (int i = 0; i < results.length; i++) {
                assertEquals(expected.effects().get(i), out.effects()[i]);
                assertTrue(!out.effects()[i].status().isSuccess(), "a broken signature fails");
            }
        }
    }

    @Test
    void shouldAdoptEveryExactResultWithoutExecuting() {
        long seed = Seeds.seed("BlockStmExecutorTest.adopt");
        Workload w = Workloads.transfers(seed, 64).take(64);
        InMemoryObjectStore ref = w.genesisStore();
        PreExecResult[] results = new PreExecResult[w.transactions().size()];
        for (int i = 0; i < results.length; i++) {
            results[i] = PRE.preExecute(w.transactions().get(i), ref, 0);
            ref.apply(results[i].effects());
        }
        try (BlockStmExecutor engine = new BlockStmExecutor(PRIMARY, 2, "test-stm")) {
            CommitOutcome out = engine.execute(w.transactions(), results, w.genesisStore());
            assertEquals(results.length, out.adopted(), Seeds.replay(seed));
            assertEquals(0, out.executions(), Seeds.replay(seed));
        }
    }

    @Test
    void shouldSkipVerifiedSignaturesWhenReexecutingStaleResults() {
        long seed = Seeds.seed("BlockStmExecutorTest.hints");
        Workload w = Workloads.sharedCounters(seed, 1, 0.0).take(20);
        InMemoryObjectStore genesis = w.genesisStore();
        PreExecResult[] results = new PreExecResult[w.transactions().size()];
        for (int i = 0; i < results.length; i++) {
            // All made against genesis: all but the first read a stale counter.
            results[i] = PRE.preExecute(w.transactions().get(i), genesis, 0);
        }
        try (BlockStmExecutor engine = new BlockStmExecutor(PRIMARY, 1, "test-stm")) {
            CommitOutcome out = engine.execute(w.transactions(), results, w.genesisStore());
            assertTrue(out.reexecutedConflict() >= results.length - 1, "conflicts: " + out + " " + Seeds.replay(seed));
            assertTrue(out.signaturesSkipped() >= results.length - 1, "skipped: " + out.signaturesSkipped());
            assertEquals(CommitOutcome.ADOPTED, out.causes()[0]);
            assertEquals(CommitOutcome.CONFLICT, out.causes()[1]);
        }
    }

    /**
     * Lies of every kind at random positions (falsified writes behind matching reads, a forged
     * "verified" on a garbage signature, full and verify-only, wrong precompile outputs), next to
     * honest claims, every claim checked (full audit), 1 to 8 threads: the effects are the
     * reference's, every lie is found, no honest claim is called a lie.
     */
    @Test
    void shouldFindEveryLieItChecksAndApplyItsOwnEffects() {
        long seed = Seeds.seed("BlockStmExecutorTest.lies");
        Random random = new Random(seed);
        int lies = 0;
        for (int round = 0; round < 60; round++) {
            long caseSeed = random.nextLong();
            int threads = 1 + random.nextInt(8);
            Workload w = WORKLOADS.get(random.nextInt(WORKLOADS.size())).apply(caseSeed).take(20 + random.nextInt(40));
            Random rnd = new Random(caseSeed);
            List<Transaction> txs = new ArrayList<>();
            List<Transaction> genuine = new ArrayList<>();
            for (Transaction tx : w.transactions()) {
                genuine.add(tx);
                txs.add(rnd.nextInt(8) == 0 ? tx.withSignature(new byte[64]) : tx);
            }
            Oracle.Run expected = Oracle.run(new Workload(w.name(), w.genesis(), txs));
            InMemoryObjectStore live = w.genesisStore();
            ResultTable.Claim[][] checks = new ResultTable.Claim[txs.size()][];
            boolean[] lying = new boolean[txs.size()];
            for (int i = 0; i < txs.size(); i++) {
                PreExecResult honest = PRE.preExecute(genuine.get(i), live, 0);
                PreExecResult lie = io.remora.primary.LiesAccess.lie(rnd.nextInt(4), txs.get(i), honest, rnd);
                lying[i] = lie != null && rnd.nextBoolean();
                PreExecResult sent = lying[i] ? lie : PRE.preExecute(txs.get(i), live, 0);
                checks[i] = new ResultTable.Claim[] {new ResultTable.Claim(sent, lying[i] ? "liar" : "honest")};
                live.apply(expected.effects().get(i));
                lies += lying[i] ? 1 : 0;
            }
            String label = w.name() + " threads=" + threads + " caseSeed=" + caseSeed + " " + Seeds.replay(seed);
            try (BlockStmExecutor engine = new BlockStmExecutor(PRIMARY, threads, "test-stm")) {
                // in one commit (Block-STM) and one position per commit (the adopt-all fast path)
                CommitOutcome all = engine.execute(txs, new PreExecResult[txs.size()], checks, w.genesisStore());
                assertEquals(expected.effects(), java.util.Arrays.asList(all.effects()), label);
                InMemoryObjectStore state = w.genesisStore();
                for (int i = 0; i < txs.size(); i++) {
                    CommitOutcome one = engine.execute(List.of(txs.get(i)), new PreExecResult[1],
                            new ResultTable.Claim[][] {checks[i]}, state);
                    assertEquals(expected.effects().get(i), one.effects()[0], label + " position " + i);
                    assertEquals(lying[i], one.checks()[0][0].lie(), label + ": verdict at " + i + " " + one.checks()[0][0]);
                    assertEquals(lying[i], all.checks()[i][0].lie(), label + ": Block-STM verdict at " + i);
                    state.apply(one.effects()[0]);
                }
            }
        }
        assertTrue(lies > 100, "lies told: " + lies);
    }

    /** The price of TRUSTED without audits: a falsified write behind matching reads is adopted as is. */
    @Test
    void shouldAdoptAFalsifiedWriteWhenNothingChecksIt() {
        Workload w = Workloads.transfers(5, 4).take(1);
        Transaction tx = w.transactions().get(0);
        PreExecResult honest = PRE.preExecute(tx, w.genesisStore(), 0);
        PreExecResult lie = io.remora.primary.LiesAccess.lie(0, tx, honest, new Random(1));
        try (BlockStmExecutor engine = new BlockStmExecutor(PRIMARY, 1, "test-stm")) {
            CommitOutcome out = engine.execute(List.of(tx), new PreExecResult[] {lie}, w.genesisStore());
            assertEquals(1, out.adopted());
            assertEquals(lie.effects(), out.effects()[0]);
            assertTrue(!lie.effects().equals(honest.effects()));
        }
    }
}
