package io.remora.core.engine;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.exec.ExecutionOutcome;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.InMemoryObjectStore;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small chain for program tests: fixed keys, a store, and helpers that execute and apply. */
final class EngineFixture {
    final Random random = new Random(42);
    final Ed25519KeyPair alice = Ed25519KeyPair.generate(random);
    final Ed25519KeyPair bob = Ed25519KeyPair.generate(random);
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final TransactionExecutor executor = BuiltinEngine.executor("test-node");
    private long nonce;

    ObjectId newId() {
        return ObjectId.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    StoredObject put(StoredObject o) {
        store.put(o);
        return o;
    }

    Transaction tx(Ed25519KeyPair key, long gas, List<InputObject> inputs, String program, String function, byte[] args) {
        return Transaction.sign(key, nonce++, gas, inputs, program, function, args);
    }

    Transaction tx(Ed25519KeyPair key, List<InputObject> inputs, String program, String function, byte[] args) {
        return tx(key, 1_000_000, inputs, program, function, args);
    }

    ExecutionOutcome run(Transaction tx) {
        ExecutionOutcome o = executor.execute(tx, store);
        store.apply(o.effects());
        return o;
    }

    /** Runs, applies and asserts success. */
    Effects ok(Transaction tx) {
        Effects e = run(tx).effects();
        assertTrue(e.status().isSuccess(), () -> "expected success, got " + e.status());
        return e;
    }

    /** Runs and asserts failure with {@code code} and an unchanged state. */
    Effects fails(Transaction tx, int code) {
        var before = store.stateDigest();
        Effects e = run(tx).effects();
        assertEquals(ExecutionStatus.failure(code, "x").code(),
                e.status() instanceof ExecutionStatus.Failure f ? f.code() : -1, () -> "status " + e.status());
        assertTrue(e.written().isEmpty() && e.deleted().isEmpty());
        assertEquals(before, store.stateDigest());
        return e;
    }

    InputObject owned(ObjectId id) {
        return InputObject.owned(store.read(id).ref());
    }

    StoredObject read(ObjectId id) {
        return store.read(id);
    }
}
