package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.exec.TransactionExecutor;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exactly-once execution: a transaction digest executes at most once with a valid signature,
 * across commits and restarts; every later copy (any signature) is a
 * {@link TransactionExecutor#duplicate DUPLICATE} that reads and writes nothing. A copy whose
 * signature fails does not mark the digest, so a forged copy ordered first cannot block the
 * genuine one. {@link io.remora.core.exec.SequentialExecutor} applies the same rule, so the oracle
 * agrees.
 *
 * <p>The index of executed digests is the {@code effects} column family (only authenticated
 * executions are stored there, see {@link CommitRecord}), plus, for commits executed but not yet
 * written, an in-memory set filled by the execution stage and emptied by the publication stage once
 * the commit is durable (by then RocksDB answers for it). Lookups of digests never seen, the common
 * case, are mostly answered by RocksDB's memtables and bloom filters.
 *
 * <p>Thread-safety: {@link #duplicates} and {@link #executed} from the execution stage;
 * {@link #durable} from the publication stage.
 */
final class ExactlyOnce {
    private final RocksStore store;
    /** Digests of authenticated executions in commits not yet durable. */
    private final ConcurrentHashMap<Digest, Boolean> pending = new ConcurrentHashMap<>();

    ExactlyOnce(RocksStore store) {
        this.store = store;
    }

    /** Whether {@code tx} executed with a valid signature in an earlier commit (or an earlier chunk). */
    boolean executedBefore(Digest tx) {
        return pending.containsKey(tx)
                || (!io.remora.core.canary.Canary.EXACTLY_ONCE_FORGETS_DURABLE.active() && store.executed(tx));
    }

    /**
     * Decides, before execution, which positions of a commit are duplicates: those whose digest
     * executed in an earlier commit, and later copies of a digest whose earlier copy in this commit
     * has a valid signature. Signature validity of repeated digests is checked here by the primary
     * itself (the rare case of a digest appearing twice in one commit): a copy found invalid has
     * its result removed from {@code results}, so that it executes, without hints, to the same
     * INVALID_SIGNATURE outcome the decision assumed, whatever a pre-executor claimed.
     *
     * @return per position whether it is a duplicate, or null if none is
     */
    boolean[] duplicates(List<Transaction> txs, PreExecResult[] results) {
        int n = txs.size();
        // The common case first: every digest once in the commit (a primitive set of the first 8
        // bytes; a shared prefix only sends the commit to the exact path below).
        org.agrona.collections.LongHashSet prefixes = new org.agrona.collections.LongHashSet(Math.max(8, n * 2));
        boolean[] dup = null;
        for (int i = 0; i < n; i++) {
            if (!prefixes.add(txs.get(i).digest().word(0))) {
                return duplicatesWithRepeats(txs, results);
            }
        }
        for (int i = 0; i < n; i++) {
            if (executedBefore(txs.get(i).digest())) {
                dup = mark(dup, n, i);
            }
        }
        return dup;
    }

    /** {@link #duplicates} for a commit in which a digest (or at least its first 8 bytes) repeats. */
    private boolean[] duplicatesWithRepeats(List<Transaction> txs, PreExecResult[] results) {
        int n = txs.size();
        boolean[] dup = null;
        // Per digest: {first position, copies in this commit, executed before this commit (0/1)}.
        HashMap<Digest, int[]> seen = HashMap.newHashMap(n);
        boolean repeats = false;
        for (int i = 0; i < n; i++) {
            Digest d = txs.get(i).digest();
            int[] v = seen.get(d);
            if (v == null) {
                boolean before = executedBefore(d);
                seen.put(d, new int[] {i, 1, before ? 1 : 0});
                if (before) {
                    dup = mark(dup, n, i);
                }
            } else {
                repeats = true;
                v[1]++;
                if (v[2] == 1) {
                    dup = mark(dup, n, i);
                }
            }
        }
        if (!repeats) {
            return dup;
        }
        // Digests appearing more than once and not executed before: in order, the first copy with a
        // valid signature executes, every later copy is a duplicate, earlier copies fail their check.
        HashMap<Digest, Boolean> executedHere = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Transaction tx = txs.get(i);
            Digest d = tx.digest();
            int[] v = seen.get(d);
            if (v[1] < 2 || v[2] == 1) {
                continue;
            }
            if (executedHere.containsKey(d)) {
                dup = mark(dup, n, i);
            } else if (tx.verifySignature()) {
                executedHere.put(d, Boolean.TRUE);
            } else {
                results[i] = null; // executes without hints: INVALID_SIGNATURE, as decided here
            }
        }
        return dup;
    }

    private static boolean[] mark(boolean[] dup, int n, int i) {
        boolean[] out = dup == null ? new boolean[n] : dup;
        out[i] = true;
        return out;
    }

    /** Records the authenticated executions among {@code effects[from, to)} (execution stage). */
    void executed(Effects[] effects, int from, int to) {
        for (int i = from; i < to; i++) {
            if (effects[i].authenticatedExecution()) {
                pending.put(effects[i].transaction(), Boolean.TRUE);
            }
        }
    }

    /** {@code effects[from, to)} are durable: RocksDB now answers for them (publication stage). */
    void durable(Effects[] effects, int from, int to) {
        for (int i = from; i < to; i++) {
            if (effects[i].authenticatedExecution()) {
                pending.remove(effects[i].transaction());
            }
        }
    }
}
