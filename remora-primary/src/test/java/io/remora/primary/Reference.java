package io.remora.primary;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The sequential reference run of a workload cut into commits, keeping what the fault-injecting
 * tests need: the store before each commit (for stale pre-execution), the effects of each
 * transaction and the state digest after each commit.
 */
final class Reference {
    static final TransactionExecutor EXECUTOR = BuiltinEngine.executor("oracle");

    final Workload workload;
    final List<List<Transaction>> commits;
    /** snapshots.get(c): the state before commit c (c = commits.size(): the final state). */
    final List<InMemoryObjectStore> snapshots = new ArrayList<>();
    final List<List<Effects>> effects = new ArrayList<>();
    final List<Digest> digestAfter = new ArrayList<>();

    private Reference(Workload workload, List<List<Transaction>> commits) {
        this.workload = workload;
        this.commits = commits;
    }

    /** Cuts {@code workload} into commits of 0..maxPerCommit transactions (mostly non-empty). */
    static List<List<Transaction>> cut(List<Transaction> txs, int maxPerCommit, Random rnd) {
        List<List<Transaction>> out = new ArrayList<>();
        int i = 0;
        while (i < txs.size()) {
            int n = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(maxPerCommit);
            int end = Math.min(txs.size(), i + n);
            out.add(List.copyOf(txs.subList(i, end)));
            i = end;
        }
        return out;
    }

    /**
     * Runs the commits sequentially; {@code beforeEach} sees each transaction with the live store
     * just before it executes (and the commit index), to pre-execute it "correctly".
     */
    static Reference run(Workload workload, List<List<Transaction>> commits, BeforeEach beforeEach) {
        Reference ref = new Reference(workload, commits);
        InMemoryObjectStore store = workload.genesisStore();
        SequentialExecutor seq = new SequentialExecutor(EXECUTOR, store);
        for (int c = 0; c < commits.size(); c++) {
            ref.snapshots.add(store.copy());
            List<Effects> out = new ArrayList<>();
            for (Transaction tx : commits.get(c)) {
                if (beforeEach != null) {
                    beforeEach.accept(c, tx, store);
                }
                out.add(seq.execute(tx)); // the oracle: exactly-once included
            }
            ref.effects.add(out);
            ref.digestAfter.add(store.stateDigest());
        }
        ref.snapshots.add(store);
        return ref;
    }

    Digest finalDigest() {
        return snapshots.get(snapshots.size() - 1).stateDigest();
    }

    @FunctionalInterface
    interface BeforeEach {
        void accept(int commit, Transaction tx, InMemoryObjectStore live);
    }
}
