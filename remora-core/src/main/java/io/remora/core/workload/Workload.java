package io.remora.core.workload;

import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.store.InMemoryObjectStore;
import java.util.List;

/**
 * A finite, reproducible workload: the genesis objects and the transactions to run on them, in the
 * order they were generated (which is the order their owned-input references assume).
 *
 * <p>Immutable and thread-safe.
 */
public record Workload(String name, List<StoredObject> genesis, List<Transaction> transactions) {
    public Workload {
        genesis = List.copyOf(genesis);
        transactions = List.copyOf(transactions);
    }

    /** A fresh store holding the genesis objects. */
    public InMemoryObjectStore genesisStore() {
        return new InMemoryObjectStore(genesis);
    }

    /** The first {@code n} transactions over the same genesis (shrinking a failing case). */
    public Workload prefix(int n) {
        return new Workload(name, genesis, transactions.subList(0, n));
    }

    @Override
    public String toString() {
        return "Workload(" + name + ", " + genesis.size() + " genesis objects, " + transactions.size() + " txs)";
    }
}
