package io.remora.core.exec;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.Transaction;
import io.remora.core.store.ObjectStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The sequential reference executor: runs transactions one by one, fully (signature check,
 * execution, version assignment, apply). It is the oracle every other execution path is checked
 * against, and the first baseline of every benchmark.
 *
 * <p>Not thread-safe.
 */
public final class SequentialExecutor {
    private final TransactionExecutor executor;
    private final ObjectStore store;

    public SequentialExecutor(TransactionExecutor executor, ObjectStore store) {
        this.executor = executor;
        this.store = store;
    }

    public Effects execute(Transaction tx) {
        Effects e = executor.execute(tx, store).effects();
        store.apply(e);
        return e;
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
