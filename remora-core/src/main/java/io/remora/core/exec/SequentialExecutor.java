package io.remora.core.exec;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.Transaction;
import io.remora.core.store.ObjectStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sequential reference executor: runs transactions one by one, fully (signature check,
 * execution, version assignment, apply). It is the oracle every other execution path is checked
 * against, and the first baseline of every benchmark.
 *
 * <p>Exactly once: a transaction digest executes at most once with a valid signature; a later copy
 * (any signature) gets {@link TransactionExecutor#duplicate} effects. A copy whose signature fails
 * does not mark the digest. The primary applies the same rule across commits and restarts.
 *
 * <p>Not thread-safe.
 */
public final class SequentialExecutor {
    private final TransactionExecutor executor;
    private final ObjectStore store;
    private final Set<Digest> executed = new HashSet<>();

    public SequentialExecutor(TransactionExecutor executor, ObjectStore store) {
        this.executor = executor;
        this.store = store;
    }

    public Effects execute(Transaction tx) {
        Digest d = tx.digest();
        if (executed.contains(d)) {
            return TransactionExecutor.duplicate(d);
        }
        Effects e = executor.execute(tx, store).effects();
        store.apply(e);
        if (e.authenticatedExecution()) {
            executed.add(d);
        }
        return e;
    }

    /**
     * Applies effects computed elsewhere (to continue from another executor's state, e.g. the
     * primary's published effects), recording an authenticated execution for exactly-once.
     */
    public void apply(Effects e) {
        store.apply(e);
        if (e.authenticatedExecution()) {
            executed.add(e.transaction());
        }
    }

    /** Whether {@code tx} executed with a valid signature (later copies are duplicates). */
    public boolean executed(Digest tx) {
        return executed.contains(tx);
    }

    public List<Effects> executeAll(List<Transaction> txs) {
        List<Effects> out = new ArrayList<>(txs.size());
        for (Transaction tx : txs) {
            out.add(execute(tx));
        }
        return out;
    }

    public Digest stateDigest() {
        return store.stateDigest();
    }

    public ObjectStore store() {
        return store;
    }
}
