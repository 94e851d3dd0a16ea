package io.remora.core.workload;

import io.remora.core.Authenticator;
import io.remora.core.Effects;
import io.remora.core.LookupTable;
import io.remora.core.ObjectId;
import io.remora.core.ObjectRef;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.InMemoryObjectStore;
import java.util.List;

/**
 * A generator's private copy of the state, advanced by executing every generated transaction in
 * generation order, so the next transaction's owned-input references (version, digest) are exact.
 * The signature check is skipped (the generator just signed it). Not thread-safe.
 */
final class ShadowState {
    private final TransactionExecutor executor = BuiltinEngine.executor("workload-generator");
    private final InMemoryObjectStore store;

    ShadowState(List<StoredObject> genesis) {
        this.store = new InMemoryObjectStore(genesis);
    }

    Effects apply(Transaction tx) {
        LookupTable trusted = new LookupTable(List.of(), List.of(), Authenticator.verified(tx, "workload-generator"));
        Effects e = executor.execute(tx, store, trusted).effects();
        store.apply(e);
        return e;
    }

    StoredObject read(ObjectId id) {
        return store.read(id);
    }

    ObjectRef ref(ObjectId id) {
        StoredObject o = store.read(id);
        if (o == null) {
            throw new IllegalStateException("object " + id + " is not live in the generator's shadow state");
        }
        return o.ref();
    }
}
